using System.Text;
using System.Text.RegularExpressions;
using Aims.Evidence.Items;

namespace Aims.Evidence.Collection;

/// <summary>
/// Redacts a text stream a block of whole lines at a time, keeping its line endings. A private key whose PEM block
/// crosses a block boundary is masked on both sides: the first block masks from BEGIN to its end, and the following
/// text is dropped up to and including the END line.
/// </summary>
internal static partial class StreamRedaction
{
    internal const int BlockChars = 1024 * 1024;

    public static async Task<int> RedactAsync(Stream source, Stream target, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(source, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true, bufferSize: 81920, leaveOpen: true);
        await using var writer = new StreamWriter(target, new UTF8Encoding(false), 81920, leaveOpen: true);
        var state = new State();
        var buffer = new char[81920];
        var block = new StringBuilder();
        int read;
        while ((read = await reader.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            block.Append(buffer, 0, read);
            if (block.Length >= BlockChars)
            {
                var text = block.ToString();
                var cut = text.LastIndexOf('\n') + 1;
                if (cut == 0)
                {
                    // One very long line: cut anyway rather than hold it all.
                    cut = text.Length;
                }

                await writer.WriteAsync(state.Redact(text[..cut])).ConfigureAwait(false);
                block.Clear().Append(text, cut, text.Length - cut);
            }
        }

        await writer.WriteAsync(state.Redact(block.ToString())).ConfigureAwait(false);
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
        return state.Redactions;
    }

    private sealed class State
    {
        private bool _insideKey;

        public int Redactions { get; private set; }

        public string Redact(string text)
        {
            if (_insideKey)
            {
                var end = KeyEnd().Match(text);
                if (!end.Success)
                {
                    return "";
                }

                _insideKey = false;
                text = text[(end.Index + end.Length)..];
            }

            var redacted = SecretRedactor.RedactText(text, out var n);
            Redactions += n;
            var lastBegin = KeyBegin().Matches(text).LastOrDefault();
            if (lastBegin is not null && !KeyEnd().IsMatch(text[lastBegin.Index..]))
            {
                _insideKey = true;
            }

            return redacted;
        }
    }

    [GeneratedRegex(@"-----BEGIN [A-Z ]*PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex KeyBegin();

    [GeneratedRegex(@"-----END [A-Z ]*PRIVATE KEY-----", RegexOptions.CultureInvariant)]
    private static partial Regex KeyEnd();
}
