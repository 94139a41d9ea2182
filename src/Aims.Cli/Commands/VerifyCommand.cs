using System.CommandLine;
using Aims.Reporting.Signing;
using Aims.Reporting.Verification;

namespace Aims.Cli.Commands;

/// <summary>
/// <c>aims verify</c>: check a bundle (signature first, with the pinned key) or a whole store (with its signed
/// checkpoints); exit 1 naming every altered, removed or added file.
/// </summary>
internal static class VerifyCommand
{
    public static Command Create(CliIO io)
    {
        var bundle = new Argument<string?>("bundle") { Description = "The bundle (zip) to verify.", Arity = ArgumentArity.ZeroOrOne };
        var bundleOption = new Option<string?>("--bundle", "-b") { Description = "The bundle (zip) to verify (same as the argument)." };
        var store = new Option<string?>("--store", "-s") { Description = "Verify a whole store instead: ledger chain and signed checkpoints, every item and raw payload, nothing added." };
        var key = new Option<string?>("--key", "-k") { Description = "The signer's public key (PEM) you were given: signatures and checkpoints must be made with it." };
        var fingerprint = new Option<string?>("--fingerprint") { Description = "Or the key's fingerprint (64 hex: SHA-256 of the public key's DER) you were given." };
        var command = new Command("verify", "Verify an evidence bundle or a store offline.") { bundle, bundleOption, store, key, fingerprint };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            var argumentPath = parse.GetValue(bundle);
            var optionPath = parse.GetValue(bundleOption);
            if (argumentPath is not null && optionPath is not null && argumentPath != optionPath)
            {
                throw new CliInputException("give the bundle once: as the argument or with --bundle.");
            }

            var bundlePath = argumentPath ?? optionPath;
            var storeSpec = parse.GetValue(store);
            if ((bundlePath is null) == (storeSpec is null))
            {
                throw new CliInputException("give either a bundle file or --store, not both and not neither.");
            }

            var pinnedKey = ReadKey(parse.GetValue(key));
            var pinnedFingerprint = ReadFingerprint(parse.GetValue(fingerprint));
            if (pinnedKey is not null && pinnedFingerprint is not null && pinnedKey.Fingerprint != pinnedFingerprint)
            {
                throw new CliInputException($"--key has fingerprint {pinnedKey.Fingerprint}, not the --fingerprint given ({pinnedFingerprint}).");
            }

            VerificationResult result;
            if (bundlePath is not null)
            {
                if (!File.Exists(bundlePath))
                {
                    throw new CliInputException($"the bundle '{bundlePath}' does not exist.");
                }

                result = await new BundleVerifier(pinnedKey, pinnedFingerprint).VerifyAsync(bundlePath, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                if (pinnedKey is null && pinnedFingerprint is not null)
                {
                    throw new CliInputException("--store checks checkpoint signatures with a key: give --key (the PEM), not only --fingerprint.");
                }

                result = await new StoreVerifier(await StoreOpener.OpenExistingAsync(storeSpec!, cancellationToken).ConfigureAwait(false), pinnedKey: pinnedKey).VerifyAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
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
            foreach (var note in result.Notes)
            {
                await io.Output.WriteLineAsync($"note: {note}").ConfigureAwait(false);
            }

            return result.IsIntact ? ExitCodes.Ok : ExitCodes.VerificationFailed;
        }));
        return command;
    }

    private static PublicSigningKey? ReadKey(string? path)
    {
        if (path is null)
        {
            return null;
        }

        if (!File.Exists(path))
        {
            throw new CliInputException($"--key '{path}' does not exist.");
        }

        try
        {
            return PublicSigningKey.FromPem(File.ReadAllText(path), $"--key '{path}'");
        }
        catch (FormatException ex)
        {
            throw new CliInputException(ex.Message);
        }
    }

    private static string? ReadFingerprint(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var hex = text.Trim().Replace(":", "", StringComparison.Ordinal).ToLowerInvariant();
        return hex.Length == 64 && hex.All(char.IsAsciiHexDigitLower)
            ? hex
            : throw new CliInputException($"--fingerprint '{text}' is not a SHA-256 (64 hex characters, as 'openssl pkey -pubin -in key.pem -outform DER | sha256sum' prints).");
    }
}
