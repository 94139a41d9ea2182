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
            if (file.Path.Contains('\n') || file.Path.Contains('\\'))
            {
                // sha256sum would need its escaped form for these; bundle paths never contain them.
                throw new ArgumentException($"Bundle path '{file.Path}' cannot be listed in SHA256SUMS.", nameof(files));
            }

            sb.Append(file.Sha256).Append("  ").Append(file.Path).Append('\n');
        }

        return sb.ToString();
    }

    /// <summary>A parsed line, or the reason it could not be read.</summary>
    public sealed record Line(int Number, string? Path, string? Sha256, string? Problem);

    public static IEnumerable<Line> Parse(string text)
    {
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            if (raw.Length == 0)
            {
                continue;
            }

            // "<64 hex><space><space or *><path>": '*' marks binary mode, which hashes the same bytes.
            if (raw.Length < 67 || raw[64] != ' ' || raw[65] is not (' ' or '*') || !raw[..64].All(char.IsAsciiHexDigitLower))
            {
                yield return new Line(number, null, null, $"line {number} is not '<sha256>  <path>': {Shorten(raw)}");
                continue;
            }

            yield return new Line(number, raw[66..], raw[..64], null);
        }
    }

    private static string Shorten(string text) => text.Length <= 80 ? text : text[..80] + "...";
}
