using System.CommandLine;

namespace Aims.Cli.Commands;

/// <summary><c>aims gaps</c>: the status of every control and requirement from stored evidence (no collection).</summary>
internal static class GapsCommand
{
    public static Command Create(CliIO io)
    {
        var config = CommonOptions.Config();
        var store = CommonOptions.Store();
        var asOf = CommonOptions.AsOf();
        var format = CommonOptions.Format("table", "json", "markdown", "html");
        var system = CommonOptions.AiSystem();
        var command = new Command("gaps", "Analyse stored evidence: missing, stale, expiring, failing, collector errors, per requirement and control.") { config, store, asOf, format, system };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            using var session = CliSession.Open(parse.GetValue(config), parse.GetValue(store)!, parse.GetValue(asOf), io.Errors);
            var report = await Progress.AnalyzeAsync(io, session, parse.GetValue(system), cancellationToken).ConfigureAwait(false);
            await ReportOutput.WriteAsync(io, report, parse.GetValue(format)!, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }
}
