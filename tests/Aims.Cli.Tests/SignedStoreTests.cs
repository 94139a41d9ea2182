using Aims.Evidence.Store;

namespace Aims.Cli.Tests;

/// <summary>Signed ledger checkpoints: what the hash chain alone cannot show (truncation, re-chaining) is named by verify --store.</summary>
public sealed class SignedStoreTests(SignedRun run) : IClassFixture<SignedRun>
{
    [Fact]
    public async Task A_signed_run_writes_a_checkpoint_per_segment_and_the_store_verifies_with_the_pinned_key()
    {
        Assert.True(run.Result.Exit == ExitCodes.Ok, run.Result.Errors);
        Assert.Contains("Signed 1 new ledger checkpoint(s)", run.Result.Errors);
        Assert.Single(Directory.EnumerateFiles(Path.Combine(run.Store, "checkpoints"), "*.json", SearchOption.AllDirectories));

        var (exit, output, _) = await CliRunner.RunAsync("verify", "--store", run.Store, "--key", run.PublicKey);

        Assert.True(exit == ExitCodes.Ok, output);
        Assert.Contains($"key(s) {run.Fingerprint} (pinned)", output);
    }

    [Fact]
    public async Task Truncating_a_segment_before_its_checkpoint_is_named()
    {
        var store = run.CopyStore("truncated");
        var ledger = LedgerFile(store);
        var lines = File.ReadAllLines(ledger);
        File.WriteAllLines(ledger, lines[..^3]);

        var (exit, output, _) = await CliRunner.RunAsync("verify", "--store", store, "--key", run.PublicKey);

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains($"ledger segment 'local': is truncated: it ends at entry {lines.Length - 3}", output);
    }

    [Fact]
    public async Task Deleting_an_item_and_rechaining_the_ledger_is_named()
    {
        var store = run.CopyStore("rechained");
        var ledger = LedgerFile(store);
        var entries = File.ReadAllLines(ledger).Select(LedgerEntry.ParseLine).ToList();
        var victim = entries[5];
        File.Delete(Directory.EnumerateFiles(Path.Combine(store, "items"), victim.ItemId + ".json", SearchOption.AllDirectories).Single());
        entries.RemoveAt(5);
        File.WriteAllLines(ledger, Rechain(entries).Select(e => e.ToLine()));

        var (exit, output, _) = await CliRunner.RunAsync("verify", "--store", store, "--key", run.PublicKey);

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains($"ledger segment 'local': is truncated: it ends at entry {entries.Count}", output);
        Assert.Contains("entries were removed (and the chain rebuilt)", output);
        Assert.DoesNotContain("entry 6 links", output);
    }

    [Fact]
    public async Task An_entry_forged_before_the_checkpoint_and_chained_correctly_is_named()
    {
        var store = run.CopyStore("forged");
        var ledger = LedgerFile(store);
        var entries = File.ReadAllLines(ledger).Select(LedgerEntry.ParseLine).ToList();
        entries.Insert(3, entries[2] with { ItemId = new string('a', 64), SubjectKey = "document/forged" });
        File.WriteAllLines(ledger, Rechain(entries).Select(e => e.ToLine()));

        var (exit, output, _) = await CliRunner.RunAsync("verify", "--store", store, "--key", run.PublicKey);

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("re-chained before that checkpoint", output);
    }

    [Fact]
    public async Task Checkpoints_signed_by_another_key_than_the_pinned_one_are_named()
    {
        using var other = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var otherKey = run.Dir.Combine("other-key.pem");
        await File.WriteAllTextAsync(otherKey, other.ExportSubjectPublicKeyInfoPem());

        var (exit, output, _) = await CliRunner.RunAsync("verify", "--store", run.Store, "--key", otherKey);

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains($"is signed by key {run.Fingerprint}, not by the pinned key", output);
    }

    [Fact]
    public async Task An_altered_checkpoint_is_named()
    {
        var store = run.CopyStore("altered-checkpoint");
        var checkpoint = Directory.EnumerateFiles(Path.Combine(store, "checkpoints"), "*.json", SearchOption.AllDirectories).Single();
        await File.WriteAllTextAsync(checkpoint, (await File.ReadAllTextAsync(checkpoint)).Replace("\"writer\":\"aims-cli", "\"writer\":\"someone-else", StringComparison.Ordinal));

        var (exit, output, _) = await CliRunner.RunAsync("verify", "--store", store);

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("is altered: its signature does not verify", output);
    }

    private static string LedgerFile(string store) => Path.Combine(store, "ledger", "local.jsonl");

    /// <summary>What an attacker with write access does: renumber and recompute every link so the chain is whole again.</summary>
    private static IEnumerable<LedgerEntry> Rechain(List<LedgerEntry> entries)
    {
        var previous = LedgerEntry.GenesisHash;
        for (var i = 0; i < entries.Count; i++)
        {
            var entry = entries[i] with { Sequence = i + 1, PreviousHash = previous, Hash = "" };
            entry = entry with { Hash = entry.ComputeHash() };
            previous = entry.Hash;
            yield return entry;
        }
    }
}
