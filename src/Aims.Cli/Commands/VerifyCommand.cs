using System.CommandLine;
using Aims.Reporting.Verification;

namespace Aims.Cli.Commands;

/// <summary><c>aims verify</c>: check a bundle or a whole store; exit 1 naming every altered, removed or added file.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliIO io)
    {
        var bundle = new Argument<string?>("bundle") { Description = "The bundle (zip) to verify.", Arity = ArgumentArity.ZeroOrOne };
        var store = new Option<string?>("--store", "-s") { Description = "Verify a whole store instead: ledger chain, every item and raw payload, nothing added." };
        var command = new Command("verify", "Verify an evidence bundle or a store offline.") { bundle, store };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            var bundlePath = parse.GetValue(bundle);
            var storeSpec = parse.GetValue(store);
            if ((bundlePath is null) == (storeSpec is null))
            {
                throw new CliInputException("give either a bundle file or --store, not both and not neither.");
            }

            VerificationResult result;
            if (bundlePath is not null)
            {
                if (!File.Exists(bundlePath))
                {
                    throw new CliInputException($"the bundle '{bundlePath}' does not exist.");
                }

                result = await new BundleVerifier().VerifyAsync(bundlePath, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var opened = await StoreOpener.OpenExistingAsync(storeSpec!, cancellationToken).ConfigureAwait(false);
                result = await new StoreVerifier(opened).VerifyAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            foreach (var finding in result.Findings)
            {
                await io.Output.WriteLineAsync($"{finding.Kind.ToString().ToLowerInvariant()}: {finding}").ConfigureAwait(false);
            }

            var counts = $"{result.Checked.Items} item(s), {result.Checked.RawPayloads} raw payload(s), {result.Checked.LedgerEntries} ledger entries";
            if (result.IsIntact && result.Checked.Items == 0 && result.Checked.LedgerEntries == 0)
            {
                // Nothing was there to check: certifying it "intact" would vouch for evidence that does not exist.
                await io.Output.WriteLineAsync($"NOT verified: {result.Target} holds no evidence (no items, no ledger entries)").ConfigureAwait(false);
                return ExitCodes.VerificationFailed;
            }

            await io.Output.WriteLineAsync(result.IsIntact
                ? $"intact: {result.Target} ({counts})"
                : $"NOT intact: {result.Target}: {result.Findings.Count} problem(s) ({counts})").ConfigureAwait(false);
            return result.IsIntact ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        }));
        return command;
    }
}
