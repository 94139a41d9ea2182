using System.CommandLine;
using Aims.Evidence.Gaps;

namespace Aims.Cli.Commands;

/// <summary><c>aims run</c>: the whole job in one process — collect, analyse, digest, bundle.</summary>
internal static class RunCommand
{
    public static Command Create(CliIO io)
    {
        var config = CommonOptions.Config();
        var store = CommonOptions.Store();
        var asOf = CommonOptions.AsOf();
        var output = new Option<string>("--out", "-o") { Description = "Folder for digest.json, digest.md, digest.html and bundle.zip.", Required = true };
        var command = new Command("run", "Collect from every configured source, analyse gaps, write the digest and the auditor bundle for the audit period.") { config, store, asOf, output };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            using var session = CliSession.Open(parse.GetValue(config), parse.GetValue(store)!, parse.GetValue(asOf), io.Errors);
            var folder = parse.GetValue(output)!;
            await CollectCommand.Collect(io, session, null, cancellationToken).ConfigureAwait(false);
            var report = await Progress.AnalyzeAsync(io, session, null, cancellationToken).ConfigureAwait(false);
            await DigestOutput.WriteAsync(io, session, report, folder, $"digests/{session.AsOf:yyyy-MM-dd}", cancellationToken).ConfigureAwait(false);

            var period = session.Pipeline.Settings.PeriodFor(session.AsOf);
            await BundleCommand.WriteAsync(io, session, period.From, period.To, null, null, Path.Combine(folder, "bundle.zip"), cancellationToken).ConfigureAwait(false);
            var counts = report.ControlCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Key).Select(c => $"{c.Value} {c.Key.ToName()}");
            await io.Output.WriteLineAsync($"{report.Organization}: {report.Controls.Count} controls — {string.Join(", ", counts)}. Digest and bundle in {folder}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
