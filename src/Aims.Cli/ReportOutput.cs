using Aims.Evidence.Gaps;

namespace Aims.Cli;

/// <summary>Writes a gap report to standard output in the requested format.</summary>
internal static class ReportOutput
{
    public static async Task WriteAsync(CliIO io, GapReport report, string format, CancellationToken cancellationToken)
    {
        switch (format)
        {
            default:
                await WriteTableAsync(io.Output, report).ConfigureAwait(false);
                break;
        }
    }

    private static async Task WriteTableAsync(TextWriter output, GapReport report)
    {
        await output.WriteLineAsync($"{report.Organization}: evidence gaps as of {report.AsOf:yyyy-MM-dd}" + (report.NextAudit is { } next ? $", next audit {next:yyyy-MM-dd}" : "")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Join("  ", report.ControlCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Key).Select(c => $"{c.Key.ToName()}: {c.Value}"))).ConfigureAwait(false);
        foreach (var control in report.Controls.OrderByDescending(c => c.Status))
        {
            await output.WriteLineAsync($"{control.Control.Id,-8} {control.Status.ToName(),-16} {control.Control.Title}").ConfigureAwait(false);
            foreach (var r in control.Requirements.OrderByDescending(r => r.Status))
            {
                await output.WriteLineAsync($"           {r.Status.ToName(),-16} {r.Requirement.Id} ({r.Requirement.Owner}): {r.Reason}").ConfigureAwait(false);
            }
        }
    }
}
