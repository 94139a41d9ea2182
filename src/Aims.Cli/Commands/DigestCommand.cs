using System.CommandLine;

namespace Aims.Cli.Commands;

/// <summary><c>aims digest</c>: write the evidence-gap digest as JSON, Markdown and HTML.</summary>
internal static class DigestCommand
{
    public static Command Create(CliIO io)
    {
        var config = CommonOptions.Config();
        var store = CommonOptions.Store();
        var asOf = CommonOptions.AsOf();
        var system = CommonOptions.AiSystem();
        var output = new Option<string>("--out", "-o") { Description = "Folder to write digest.json, digest.md and digest.html into.", Required = true };
        var command = new Command("digest", "Write the evidence-gap digest (JSON, Markdown, self-contained HTML) from stored evidence.") { config, store, asOf, system, output };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            using var session = CliSession.Open(parse.GetValue(config), parse.GetValue(store)!, parse.GetValue(asOf), io.Errors);
            var report = await Progress.AnalyzeAsync(io, session, parse.GetValue(system), cancellationToken).ConfigureAwait(false);
            await DigestOutput.WriteAsync(io, session, report, parse.GetValue(output)!, null, cancellationToken).ConfigureAwait(false);

            return ExitCodes.Ok;
        }));
        return command;
    }
}
