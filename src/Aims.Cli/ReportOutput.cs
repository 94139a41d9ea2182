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
            await WriteTableAsync(io.Output, report).ConfigureAwait(false);
            return;
        }

        using var buffer = new MemoryStream();
        await DigestWriter.WriteAsync(report, digest.Value, buffer, cancellationToken).ConfigureAwait(false);
        await io.Output.WriteAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
        await io.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task WriteTableAsync(TextWriter output, GapReport report)
    {
        await output.WriteLineAsync($"{report.Organization}: evidence gaps as of {report.AsOf:yyyy-MM-dd}" + (report.NextAudit is { } next ? $", next audit {next:yyyy-MM-dd}" : "")
            + (report.AiSystemFilter is { } filter ? $", AI system {filter}" : "")).ConfigureAwait(false);
        await output.WriteLineAsync(string.Join("  ", report.ControlCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Key).Select(c => $"{c.Key.ToName()}: {c.Value}"))).ConfigureAwait(false);
        foreach (var control in report.Controls.OrderByDescending(c => c.Status))
        {
            await output.WriteLineAsync($"{control.Control.Id,-8} {control.Status.ToName(),-16} {control.Control.Title}").ConfigureAwait(false);
            foreach (var r in control.Requirements.OrderByDescending(r => r.Status))
            {
                await output.WriteLineAsync($"           {r.Status.ToName(),-16} {r.Requirement.Id} ({r.Requirement.Owner}): {r.Reason}").ConfigureAwait(false);
            }
        }

        foreach (var system in report.AiSystems)
        {
            await output.WriteLineAsync($"AI system {system.System.Id} ({system.System.RiskClass}, {system.System.Lifecycle}): {system.Status.ToName()}").ConfigureAwait(false);
            foreach (var r in system.RequiredRecords.Concat(system.Requirements).OrderByDescending(r => r.Status))
            {
                await output.WriteLineAsync($"           {r.Status.ToName(),-16} {r.Requirement.Id}: {r.Reason}").ConfigureAwait(false);
            }
        }

        foreach (var finding in report.UnregisteredAi)
        {
            await output.WriteLineAsync($"Unregistered AI: {finding.Name} ({finding.SubjectKey}) found in {finding.FoundIn}: {finding.Reason}").ConfigureAwait(false);
        }
    }
}
