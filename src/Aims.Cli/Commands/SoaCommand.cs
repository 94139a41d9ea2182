using System.CommandLine;
using Aims.Reporting.Soa;

namespace Aims.Cli.Commands;

/// <summary><c>aims soa</c>: the Statement of Applicability (clause 6.1.3 d) from the requirements file and the gap analysis.</summary>
internal static class SoaCommand
{
    public static Command Create(CliIO io)
    {
        var config = CommonOptions.Config();
        var store = CommonOptions.Store();
        var asOf = CommonOptions.AsOf();
        var format = CommonOptions.Format("csv", "json", "html", "markdown");
        var command = new Command("soa", "Write the Statement of Applicability: every Annex A control, applicable or excluded with its justification, what implements it and its status.")
        {
            config, store, asOf, format,
        };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            using var session = CliSession.Open(io, parse.GetValue(config), parse.GetValue(store)!, parse.GetValue(asOf));
            var report = await session.Pipeline.AnalyzeAsync(session.AsOf, cancellationToken: cancellationToken).ConfigureAwait(false);
            var soa = StatementOfApplicability.Build(report, session.Pipeline.Requirements, StatementOfApplicability.AnalysedItems);
            var soaFormat = parse.GetValue(format) switch
            {
                "json" => SoaFormat.Json,
                "html" => SoaFormat.Html,
                "markdown" => SoaFormat.Markdown,
                _ => SoaFormat.Csv,
            };
            using var buffer = new MemoryStream();
            await SoaWriter.WriteAsync(soa, soaFormat, buffer, cancellationToken).ConfigureAwait(false);
            await io.Output.WriteAsync(System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length)).ConfigureAwait(false);
            foreach (var finding in soa.Findings)
            {
                await io.Errors.WriteLineAsync($"finding: {finding.Finding}").ConfigureAwait(false);
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
