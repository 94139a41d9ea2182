using System.CommandLine;
using Aims.Evidence;
using Aims.Pipeline;

namespace Aims.Cli.Commands;

/// <summary><c>aims collect</c>: run every configured collector once and store what they observe.</summary>
internal static class CollectCommand
{
    public static Command Create(CliIO io)
    {
        var config = CommonOptions.Config();
        var store = CommonOptions.Store();
        var asOf = CommonOptions.AsOf(collects: true);
        var source = new Option<string?>("--source") { Description = "Collect from this source only (e.g. GitHub, Documents)." };
        var signingKey = CommonOptions.SigningKey();
        var command = new Command("collect", "Collect evidence from every configured source into the store, then sign the ledger's heads.") { config, store, asOf, source, signingKey };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            using var session = CliSession.Open(io, parse.GetValue(config), parse.GetValue(store)!, parse.GetValue(asOf), parse.GetValue(signingKey));
            // Collector errors are themselves evidence (they show in the digest), so they do not fail the command.
            await Collect(io, session, parse.GetValue(source), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Ok;
        }));
        return command;
    }

    /// <summary>
    /// Collects now (the real clock: evidence is never stamped with --as-of) with a progress bar on a terminal, signs the
    /// ledger's segment heads when a key is configured, and prints a one-line summary.
    /// </summary>
    internal static async Task<CollectionSummary> Collect(CliIO io, CliSession session, string? onlySource, CancellationToken cancellationToken)
    {
        if (onlySource is not null && !session.Pipeline.ConfiguredSources.Contains(onlySource, StringComparer.OrdinalIgnoreCase))
        {
            throw new CliInputException($"--source '{onlySource}' is not a configured source (configured: {string.Join(", ", session.Pipeline.ConfiguredSources)}).");
        }

        var summary = await Progress.RunAsync(io, "Collecting evidence", (progress, ct) =>
            session.Pipeline.CollectAsync(session.Time.GetUtcNow(), onlySource, progress, ct), cancellationToken).ConfigureAwait(false);
        var checkpoints = await session.Pipeline.CheckpointLedgerAsync(cancellationToken).ConfigureAwait(false);
        await io.Errors.WriteLineAsync(
            $"Collected: {Plural.Count(summary.Jobs.Count, "job")}, {Plural.Count(summary.Created, "new item")}, {summary.AlreadyStored} already stored, {Plural.Count(summary.Errors, "collector error")} into {session.Store.Description}").ConfigureAwait(false);
        await io.Errors.WriteLineAsync(session.Signer is null
            ? "Ledger not signed: no signing key (--signing-key or Aims:Signing)."
            : $"Signed {checkpoints} new ledger checkpoint(s) with key {session.Signer.KeyId}.").ConfigureAwait(false);
        foreach (var failed in summary.Jobs.Where(j => j.Failure is not null))
        {
            await io.Errors.WriteLineAsync($"  job {failed.Job.JobId} ({failed.Job.Source}) failed: {failed.Failure}").ConfigureAwait(false);
        }

        return summary;
    }
}
