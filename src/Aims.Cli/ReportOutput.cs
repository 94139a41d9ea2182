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

        using var buffer = new MemoryStream();
        await DigestWriter.WriteAsync(report, digest.Value, buffer, cancellationToken).ConfigureAwait(false);
        await io.Output.WriteAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
        await io.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
