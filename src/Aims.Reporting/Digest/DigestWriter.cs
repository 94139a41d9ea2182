using Aims.Evidence.Gaps;
using Aims.Evidence.Store;

namespace Aims.Reporting.Digest;

/// <summary>Renders a gap report as a digest in any of its formats. Secrets never reach it: evidence is redacted when written.</summary>
public static class DigestWriter
{
    public static Task WriteAsync(GapReport report, DigestFormat format, Stream output, CancellationToken cancellationToken = default) =>
        WriteAsync(new DigestView(report), format, output, cancellationToken);

    /// <summary>Renders a view, which may carry the changes since the previous digest (see <see cref="DigestHistory"/>).</summary>
    public static Task WriteAsync(DigestView view, DigestFormat format, Stream output, CancellationToken cancellationToken = default) => format switch
    {
        DigestFormat.Json => JsonDigestWriter.WriteAsync(view, output, cancellationToken),
        DigestFormat.Markdown => MarkdownDigestWriter.WriteAsync(view, output, cancellationToken),
        DigestFormat.Html => HtmlDigestWriter.WriteAsync(view, output, cancellationToken),
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown digest format."),
    };

    /// <summary>
    /// Writes all three formats to <paramref name="folder"/> as <c>{baseName}.json</c>, <c>.md</c> and <c>.html</c>
    /// and returns the paths written.
    /// </summary>
    public static Task<IReadOnlyList<string>> WriteFilesAsync(GapReport report, string folder, string baseName = "digest", CancellationToken cancellationToken = default) =>
        WriteFilesAsync(new DigestView(report), folder, baseName, cancellationToken);

    public static async Task<IReadOnlyList<string>> WriteFilesAsync(DigestView view, string folder, string baseName = "digest", CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(folder);
        var paths = new List<string>();
        foreach (var format in Enum.GetValues<DigestFormat>())
        {
            var path = Path.Combine(folder, $"{baseName}.{format.FileExtension()}");
            await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await WriteAsync(view, format, file, cancellationToken).ConfigureAwait(false);
            }

            paths.Add(path);
        }

        return paths;
    }

    /// <summary>
    /// Stores all three formats as reports of <paramref name="store"/>: <c>{name}.json</c>, <c>{name}.md</c> and
    /// <c>{name}.html</c> (e.g. <c>digests/2026-06-15</c>). Returns the report names written.
    /// </summary>
    public static Task<IReadOnlyList<string>> PublishAsync(GapReport report, IEvidenceStore store, string name, CancellationToken cancellationToken = default) =>
        PublishAsync(new DigestView(report), store, name, cancellationToken);

    public static async Task<IReadOnlyList<string>> PublishAsync(DigestView view, IEvidenceStore store, string name, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        foreach (var format in Enum.GetValues<DigestFormat>())
        {
            // A digest is small (tens of kilobytes): render it, then hand the store one stream it can upload with a length.
            using var buffer = new MemoryStream();
            await WriteAsync(view, format, buffer, cancellationToken).ConfigureAwait(false);
            buffer.Position = 0;
            var reportName = $"{name}.{format.FileExtension()}";
            await store.PutReportAsync(reportName, buffer, cancellationToken).ConfigureAwait(false);
            names.Add(reportName);
        }

        return names;
    }
}
