using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;

namespace Aims.Cli;

/// <summary>Writes a gap report to standard output in the requested format.</summary>
internal static class ReportOutput
{
    public static async Task WriteAsync(CliIO io, GapReport report, string format, CancellationToken cancellationToken)
    {
        DigestFormat? digest = format switch
        {
            "json" => DigestFormat.Json,
            "markdown" => DigestFormat.Markdown,
            "html" => DigestFormat.Html,
            _ => null,
        };
        if (digest is null)
        {
            await GapsTable.WriteAsync(io.Output, report, io.Width).ConfigureAwait(false);
            return;
        }

        // Streamed: with a row per subject, a digest of 100,000 subjects is tens of megabytes; it is never held whole.
        await using var output = new TextWriterStream(io.Output);
        await DigestWriter.WriteAsync(report, digest.Value, output, cancellationToken).ConfigureAwait(false);
        await io.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
