using System.Text;

namespace Aims.Collectors.Documents;

/// <summary>The YAML between the opening and closing <c>---</c> lines at the top of a Markdown document.</summary>
public static class FrontMatter
{
    private const int MaxBytes = 64 * 1024;

    /// <summary>The document's metadata, or null when it has no front matter. Throws <see cref="DocumentMetadataException"/> when it is malformed.</summary>
    public static async Task<DocumentMetadata?> ReadAsync(Stream content, CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        var first = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        if (first?.TrimEnd() != "---")
        {
            return null;
        }

        var yaml = new StringBuilder();
        var read = 0;
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.TrimEnd() is "---" or "...")
            {
                return DocumentMetadata.Parse(yaml.ToString(), lineOffset: 1);
            }

            read += line.Length + 1;
            if (read > MaxBytes)
            {
                break;
            }

            yaml.AppendLine(line);
        }

        throw new DocumentMetadataException("the front matter is not closed with a '---' line", null);
    }
}
