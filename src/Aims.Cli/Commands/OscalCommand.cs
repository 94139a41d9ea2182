using System.CommandLine;
using Aims.Reporting.Oscal;

namespace Aims.Cli.Commands;

/// <summary><c>aims oscal</c>: the gap analysis as OSCAL assessment results (JSON), one observation per analysed evidence item.</summary>
internal static class OscalCommand
{
    public static Command Create(CliIO io)
    {
        var config = CommonOptions.Config();
        var store = CommonOptions.Store();
        var asOf = CommonOptions.AsOf();
        var system = CommonOptions.AiSystem();
        var output = new Option<string?>("--out", "-o") { Description = "The file to write. Default: standard output." };
        var command = new Command("oscal", "Write OSCAL assessment results: the audit period, the controls reviewed, one observation per evidence item, one finding per control.")
        {
            config, store, asOf, system, output,
        };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            using var session = CliSession.Open(io, parse.GetValue(config), parse.GetValue(store)!, parse.GetValue(asOf));
            var report = await session.Pipeline.AnalyzeAsync(session.AsOf, parse.GetValue(system), cancellationToken).ConfigureAwait(false);
            var period = session.Pipeline.Settings.PeriodFor(session.AsOf);
            // Outside a bundle the evidence is named by its path in the store; the items' own sha256 field carries its hash.
            var observations = report.Requirements
                .SelectMany(r => r.Subjects.Where(s => s.ItemId is not null && s.ObservedAt is not null).Select(s => (Requirement: r.Requirement, Subject: s)))
                .GroupBy(x => x.Subject.ItemId!, StringComparer.Ordinal)
                .Select(g => new OscalObservation(g.Key, g.First().Requirement.Kind, g.First().Subject.SubjectKey, g.First().Subject.Reason, g.First().Subject.ObservedAt!.Value,
                    g.Select(x => x.Subject.FreshUntil).Where(f => f is not null).DefaultIfEmpty(null).Min(),
                    g.SelectMany(x => x.Requirement.Controls).Distinct(StringComparer.OrdinalIgnoreCase).ToList(), $"items/{g.Key[..2]}/{g.Key}.json", null))
                .OrderBy(o => o.ItemId, StringComparer.Ordinal)
                .ToList();
            var input = new OscalInput(report, period.From, period.To, session.Time.GetUtcNow(), Aims.Evidence.ProductVersion.Current, report.Controls.Select(c => c.Control.Id).ToList(), observations);
            var path = parse.GetValue(output);
            if (path is null)
            {
                using var buffer = new MemoryStream();
                await OscalAssessmentResults.WriteAsync(input, buffer, cancellationToken).ConfigureAwait(false);
                await io.Output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
            }
            else
            {
                var full = Path.GetFullPath(path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await using (var file = new FileStream(full + ".partial", FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    await OscalAssessmentResults.WriteAsync(input, file, cancellationToken).ConfigureAwait(false);
                }

                File.Move(full + ".partial", full, overwrite: true);
                await io.Errors.WriteLineAsync($"Wrote {path}: {observations.Count} observation(s), {report.Controls.Count} finding(s).").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
