using System.Text;

namespace Aims.Reporting.Bundle;

/// <summary>
/// The checksum list in the format GNU <c>sha256sum -c</c> reads: one line per file, the lowercase hex SHA-256,
/// two spaces (text mode), the path relative to the bundle root, and LF line ends.
/// </summary>
public static class Sha256Sums
{
    public static string Format(IEnumerable<BundleFile> files)
    {
        var sb = new StringBuilder();
        foreach (var file in files)
        {
            AppendLine(sb, file);
        }

        return sb.ToString();
    }

    /// <summary>Writes the list as it is enumerated (UTF-8), so a list of any length takes no more memory than a few lines.</summary>
    public static async Task WriteAsync(Stream output, IEnumerable<BundleFile> files, CancellationToken cancellationToken = default)
    {
        var sb = new StringBuilder();
        foreach (var file in files)
        {
            AppendLine(sb, file);
            if (sb.Length > 32 * 1024)
            {
                await output.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), cancellationToken).ConfigureAwait(false);
                sb.Clear();
            }
        }

        await output.WriteAsync(Encoding.UTF8.GetBytes(sb.ToString()), cancellationToken).ConfigureAwait(false);
    }

    private static void AppendLine(StringBuilder sb, BundleFile file)
    {
        if (file.Path.Contains('\n') || file.Path.Contains('\\'))
        {
            // sha256sum would need its escaped form for these; bundle paths never contain them.
            throw new ArgumentException($"Bundle path '{file.Path}' cannot be listed in SHA256SUMS.", nameof(file));
        }

        sb.Append(file.Sha256).Append("  ").Append(file.Path).Append('\n');
    }

    /// <summary>A parsed line, or the reason it could not be read.</summary>
    public sealed record Line(int Number, string? Path, string? Sha256, string? Problem);

    public static IEnumerable<Line> Parse(string text)
    {
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            if (ParseLine(number, raw) is { } line)
            {
                yield return line;
            }
        }
    }

    /// <summary>One line (without its LF) of the list, or null when it is empty.</summary>
    internal static Line? ParseLine(int number, string raw)
    {
        if (raw.Length == 0)
        {
            return null;
        }

        // "<64 hex><space><space or *><path>": '*' marks binary mode, which hashes the same bytes.
        if (raw.Length < 67 || raw[64] != ' ' || raw[65] is not (' ' or '*') || !raw[..64].All(char.IsAsciiHexDigitLower))
        {
            return new Line(number, null, null, $"line {number} is not '<sha256>  <path>': {Shorten(raw)}");
        }

        return new Line(number, raw[66..], raw[..64], null);
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
