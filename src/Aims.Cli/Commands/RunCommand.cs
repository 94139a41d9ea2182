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
        var asOf = CommonOptions.AsOf(collects: true);
        var output = new Option<string>("--out", "-o") { Description = "Folder for digest.json, digest.md, digest.html and bundle.zip.", Required = true };
        var signingKey = CommonOptions.SigningKey();
        var command = new Command("run", "Collect from every configured source, sign the ledger, analyse gaps, write the digest and the auditor bundle of the audit period to now.") { config, store, asOf, output, signingKey };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            var folder = CommonOptions.OutputFolder("--out", parse.GetValue(output)!);
            using var session = CliSession.Open(io, parse.GetValue(config), parse.GetValue(store)!, parse.GetValue(asOf), parse.GetValue(signingKey));
            await CollectCommand.Collect(io, session, null, cancellationToken).ConfigureAwait(false);
            var report = await Progress.AnalyzeAsync(io, session, null, cancellationToken).ConfigureAwait(false);
            await DigestOutput.WriteAsync(io, session, report, folder, publish: true, cancellationToken).ConfigureAwait(false);

            // The bundle runs to now, so it holds what this run collected (observed after the run started, whatever --as-of says).
            var now = session.Time.GetUtcNow();
            var period = session.Pipeline.Settings.PeriodFor(now);
            await BundleCommand.WriteAsync(io, session, period.From, now, null, null, Path.Combine(folder, "bundle.zip"), cancellationToken).ConfigureAwait(false);
            var counts = report.ControlCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Key).Select(c => $"{c.Value} {c.Key.ToName()}");
            await io.Output.WriteLineAsync($"{report.Organization}: {report.Controls.Count} controls — {string.Join(", ", counts)}. Digest and bundle in {folder}.").ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
