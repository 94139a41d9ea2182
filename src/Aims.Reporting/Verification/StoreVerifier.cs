using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Reporting.IO;
using Aims.Reporting.Signing;

namespace Aims.Reporting.Verification;

/// <summary>
/// Verifies an evidence store in place: the ledger's hash chain per segment; every ledger item present, canonical and
/// hashing to what the ledger recorded; every referenced raw payload present and hashing to its name; items in the
/// store that the ledger does not know (added); the index against the ledger (<see cref="IndexLedgerCheck"/>). Streams
/// the ledger and the item listing and keeps the set of ledger item ids and one index entry per subject.
/// </summary>
/// <param name="pinnedKey">When set, every checkpoint must be signed by this key.</param>
public sealed class StoreVerifier(IEvidenceStore store, int maxParallelism = 8, PublicSigningKey? pinnedKey = null)
{
    private const int MaxItemBytes = 64 * 1024 * 1024;
    private const int MaxNamedUnmatched = 20;

    public async Task<VerificationResult> VerifyAsync(IProgress<VerificationProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var run = new Run(progress);
        var ledgerIds = new HashSet<string>(StringComparer.Ordinal);
        var chain = new LedgerChainChecker();
        var checkpoints = new CheckpointVerifier(pinnedKey);
        await checkpoints.LoadAsync(store, run.Add, cancellationToken).ConfigureAwait(false);
        var index = new IndexLedgerCheck();

        await Parallel.ForEachAsync(
            WalkLedgerAsync(chain, checkpoints, index, ledgerIds, run, cancellationToken),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, maxParallelism), CancellationToken = cancellationToken },
            async (entry, ct) => await CheckEntryAsync(entry, run, ct).ConfigureAwait(false)).ConfigureAwait(false);
        run.LedgerEntries = chain.EntriesChecked;
        checkpoints.Finish(run.Add, run.LedgerComplete);
        run.Notes.Add(checkpoints.Count == 0
            ? "no signed checkpoints: truncation or re-chaining of the ledger cannot be detected (sign with --signing-key or Aims:Signing)."
            : $"{checkpoints.Count} signed checkpoint(s), latest {Timestamps.Iso(checkpoints.LatestSignedAt!.Value)}, key(s) {string.Join(", ", checkpoints.KeyFingerprints)}{(pinnedKey is null ? " (not pinned: pass --key to require yours)" : " (pinned)")}.");

        await CheckUnledgeredItemsAsync(ledgerIds, run, cancellationToken).ConfigureAwait(false);
        if (run.LedgerComplete)
        {
            await index.CheckAsync(store, run.Bad.ContainsKey, run.Add, cancellationToken).ConfigureAwait(false);
        }

        return run.Result(store.Description);
    }

    /// <summary>Yields ledger entries in chain order, checking the chain as it goes (sequentially: order matters).</summary>
    private async IAsyncEnumerable<LedgerEntry> WalkLedgerAsync(LedgerChainChecker chain, CheckpointVerifier checkpoints, IndexLedgerCheck index, HashSet<string> ledgerIds, Run run, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var entries = store.ReadLedgerAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (entries.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await entries.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (FormatException ex)
                {
                    // The store names the segment file and line; nothing after it can be read in order.
                    run.LedgerComplete = false;
                    run.Add(StoreNames.LedgerSegment(""), FindingKind.Unreadable, $"the ledger cannot be read past a broken line: {ex.Message}");
                    break;
                }

                var entry = entries.Current;
                foreach (var problem in chain.Check(entry))
                {
                    run.Add(StoreNames.LedgerSegment(entry.Segment), FindingKind.ChainBroken, problem);
                }

                foreach (var problem in checkpoints.Observe(entry))
                {
                    run.Add(StoreNames.LedgerSegment(entry.Segment), FindingKind.ChainBroken, problem);
                }

                ledgerIds.Add(entry.ItemId);
                index.Observe(entry);
                yield return entry;
            }
        }
    }

    private async Task CheckEntryAsync(LedgerEntry entry, Run run, CancellationToken cancellationToken)
    {
        var place = $"ledger segment '{entry.Segment}' entry {entry.Sequence}";
        if (!ItemIds.IsWellFormed(entry.ItemId))
        {
            run.Add(StoreNames.LedgerSegment(entry.Segment), FindingKind.Mismatch, $"entry {entry.Sequence} names '{entry.ItemId}', which is not a well-formed item id.");
            return;
        }

        var path = StoreNames.Item(entry.ItemId);
        var bytes = await ReadItemAsync(entry.ItemId, path, run, cancellationToken).ConfigureAwait(false);
        run.ItemChecked();
        if (bytes is null)
        {
            run.Bad.TryAdd(entry.ItemId, 0);
            if (!run.Unreadable.ContainsKey(entry.ItemId))
            {
                run.Add(path, FindingKind.Removed, $"is missing: {place} records it.");
            }

            return;
        }

        var (item, problems) = ItemIntegrity.Check(bytes, entry.ItemId, entry.ItemSha256, place);
        foreach (var (kind, problem) in problems)
        {
            run.Add(path, kind, problem);
        }

        if (problems.Count > 0)
        {
            run.Bad.TryAdd(entry.ItemId, 0);
        }

        if (item is not null && item.RawSha256 != entry.RawSha256)
        {
            run.Add(path, FindingKind.Mismatch, $"references raw payload {item.RawSha256 ?? "(none)"}, but {place} recorded {entry.RawSha256 ?? "(none)"}.");
        }

        foreach (var raw in new[] { entry.RawSha256, item?.RawSha256 }.OfType<string>().Distinct(StringComparer.Ordinal))
        {
            if (run.RawSeen.TryAdd(raw, 0))
            {
                await CheckRawAsync(raw, path, run, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CheckRawAsync(string sha256, string referencedBy, Run run, CancellationToken cancellationToken)
    {
        if (!ItemIds.IsSha256(sha256))
        {
            run.Add(referencedBy, FindingKind.Mismatch, $"references raw payload '{sha256}', which is not a SHA-256.");
            return;
        }

        var name = StoreNames.Raw(sha256);
        var content = await store.OpenRawAsync(sha256, cancellationToken).ConfigureAwait(false);
        if (content is null)
        {
            run.Add(name, FindingKind.Removed, $"is missing: {referencedBy} references it.");
            return;
        }

        await using (content.ConfigureAwait(false))
        {
            await using var hashing = new HashingStream(content, leaveOpen: true);
            await hashing.DrainAsync(cancellationToken).ConfigureAwait(false);
            run.RawChecked();
            if (hashing.HashHex() != sha256)
            {
                run.Add(name, FindingKind.Altered, $"is altered: its content hashes to {hashing.HashHex()}, not to the SHA-256 it is named by.");
            }
        }
    }

    private async Task CheckUnledgeredItemsAsync(HashSet<string> ledgerIds, Run run, CancellationToken cancellationToken)
    {
        var unmatched = new List<string>();
        long unmatchedCount = 0;
        await foreach (var id in store.ListItemIdsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (ledgerIds.Contains(id))
            {
                continue;
            }

            if (run.LedgerComplete)
            {
                run.Add(StoreNames.Item(id), FindingKind.Added, "is in the store but not in the ledger (written outside AIMS Evidence, or a write still in progress).");
            }
            else
            {
                unmatchedCount++;
                if (unmatched.Count < MaxNamedUnmatched)
                {
                    unmatched.Add(StoreNames.Item(id));
                }
            }
        }

        if (unmatchedCount > 0)
        {
            run.Add("items/", FindingKind.Unreadable,
                $"{unmatchedCount} item(s) could not be matched to the ledger because it could not be read to the end: {string.Join(", ", unmatched)}{(unmatchedCount > unmatched.Count ? ", ..." : "")}.");
        }
    }

    private async Task<byte[]?> ReadItemAsync(string id, string path, Run run, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await store.OpenItemAsync(id, cancellationToken).ConfigureAwait(false);
            if (stream is null)
            {
                return null;
            }

            await using (stream.ConfigureAwait(false))
            {
                var bytes = await BoundedRead.ReadAsync(stream, MaxItemBytes, cancellationToken).ConfigureAwait(false);
                if (bytes is null)
                {
                    run.Unreadable.TryAdd(id, 0);
                    run.Add(path, FindingKind.Unreadable, $"is larger than {MaxItemBytes / (1024 * 1024)} MiB, which no evidence item is.");
                }

                return bytes;
            }
        }
        catch (IOException ex)
        {
            run.Unreadable.TryAdd(id, 0);
            run.Add(path, FindingKind.Unreadable, $"cannot be read: {ex.Message}");
            return null;
        }
    }

    private sealed class Run(IProgress<VerificationProgress>? progress)
    {
        private readonly ConcurrentQueue<VerificationFinding> _findings = new();
        private long _items;
        private long _raw;

        /// <summary>Items missing, unreadable or altered, for the index check.</summary>
        public ConcurrentDictionary<string, byte> Bad { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, byte> Unreadable { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<string, byte> RawSeen { get; } = new(StringComparer.Ordinal);

        public bool LedgerComplete { get; set; } = true;

        public List<string> Notes { get; } = [];

        public long LedgerEntries { get; set; }

        public void Add(string name, FindingKind kind, string problem) => _findings.Enqueue(new VerificationFinding(name, kind, problem));

        public void ItemChecked()
        {
            var items = Interlocked.Increment(ref _items);
            if (progress is not null && items % 1000 == 0)
            {
                progress.Report(new VerificationProgress(items, items, Interlocked.Read(ref _raw)));
            }
        }

        public void RawChecked() => Interlocked.Increment(ref _raw);

        public VerificationResult Result(string target)
        {
            progress?.Report(new VerificationProgress(LedgerEntries, _items, _raw));
            return new VerificationResult(
                target,
                _findings.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Problem, StringComparer.Ordinal).ToList(),
                new VerificationCounts(_items + _raw, _items, _raw, LedgerEntries)) { Notes = Notes };
        }
    }
}
