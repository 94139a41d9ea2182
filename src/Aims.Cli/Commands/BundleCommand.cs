using System.CommandLine;
using Aims.Evidence.Catalog;
using Aims.Reporting.Bundle;

namespace Aims.Cli.Commands;

/// <summary><c>aims bundle</c>: an auditor bundle for a period, optionally cut by controls or AI system.</summary>
internal static class BundleCommand
{
    public static Command Create(CliIO io)
    {
        var config = CommonOptions.Config();
        var store = CommonOptions.Store();
        var asOf = CommonOptions.AsOf();
        var system = CommonOptions.AiSystem();
        var from = new Option<string?>("--from") { Description = "Start of the audit period (YYYY-MM-DD). Default: the configured period start." };
        var to = new Option<string?>("--to") { Description = "End of the audit period (YYYY-MM-DD, inclusive). Default: the analysis date." };
        var controls = new Option<string?>("--controls") { Description = "Only evidence for these controls, comma-separated (e.g. A.2.2,A.6.1.3,9.2)." };
        var output = new Option<string>("--out", "-o") { Description = "The zip file to write.", Required = true };
        var command = new Command("bundle", "Build an evidence bundle (zip) for auditors: items, raw payloads, manifest, SHA256SUMS, index.html, controls.csv, ledger proof.")
        {
            config, store, asOf, from, to, controls, system, output,
        };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            using var session = CliSession.Open(parse.GetValue(config), parse.GetValue(store)!, parse.GetValue(asOf), io.Errors);
            var period = session.Pipeline.Settings.PeriodFor(session.AsOf);
            var start = CommonOptions.ParseDate("--from", parse.GetValue(from)) ?? period.From;
            var end = CommonOptions.ParseDate("--to", parse.GetValue(to)) is { } t ? t.AddDays(1).AddTicks(-1) : period.To;
            var filter = parse.GetValue(controls)?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            await WriteAsync(io, session, start, end, filter, parse.GetValue(system), parse.GetValue(output)!, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    internal static async Task WriteAsync(CliIO io, CliSession session, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? controls, string? system, string path, CancellationToken cancellationToken)
    {
        if (from > to)
        {
            throw new CliInputException($"--from {from:yyyy-MM-dd} is after --to {to:yyyy-MM-dd}.");
        }

        foreach (var control in controls ?? [])
        {
            if (!ControlCatalog.Default.Contains(control))
            {
                throw new CliInputException($"--controls names '{control}', which is not an Annex A control or clause record (see 'aims controls').");
            }
        }

        if (system is not null && session.Pipeline.Inventory.Find(system) is null)
        {
            throw new CliInputException($"--system '{system}' is not in the AI system inventory.");
        }

        var report = await Progress.AnalyzeAsync(io, session, system, cancellationToken).ConfigureAwait(false);
        var request = new BundleRequest(from, to, report, ProductInfo.Version, controls, system);
        var result = await Progress.BundleAsync(io, (progress, ct) => new BundleWriter(session.Store, session.Pipeline.Time).WriteFileAsync(request, path, progress, ct), cancellationToken).ConfigureAwait(false);
        await io.Errors.WriteLineAsync($"Wrote {path}: {result.ItemCount} item(s), {result.RawCount} raw payload(s), {result.LedgerEntryCount} ledger entries, {result.FileCount} files.").ConfigureAwait(false);
        foreach (var warning in result.Warnings)
        {
            await io.Errors.WriteLineAsync($"warning: {warning}").ConfigureAwait(false);
        }
    }
}
