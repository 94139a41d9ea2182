using Aims.Evidence.Store;
using Aims.Reporting.Signing;

namespace Aims.Reporting.Verification;

/// <summary>
/// Checks a ledger against its signed checkpoints as the ledger streams past (<see cref="Observe"/> per entry, then
/// <see cref="Finish"/>): every checkpointed (segment, sequence) must still be there with the signed head hash. That
/// names a segment truncated or removed, and entries deleted, altered or inserted and the chain recomputed ("re-chained")
/// before a checkpoint, which the hash chain alone cannot see. A segment with entries recorded well before the latest
/// checkpoint that no checkpoint covers was added afterwards (every job end signs every segment's head).
/// </summary>
public sealed class CheckpointVerifier(PublicSigningKey? pinnedKey = null)
{
    /// <summary>Writes in flight while heads were read may carry an earlier time; only older uncovered entries are named.</summary>
    private static readonly TimeSpan UncoveredGrace = TimeSpan.FromMinutes(10);

    private readonly Dictionary<string, SortedDictionary<long, Signed>> _bySegment = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (long LastSequence, long LastRecordedBeforeCutoff)> _seen = new(StringComparer.Ordinal);
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private DateTimeOffset? _latestSignedAt;

    /// <summary>Valid checkpoints loaded.</summary>
    public int Count { get; private set; }

    /// <summary>Fingerprints of the keys that signed the valid checkpoints.</summary>
    public IReadOnlyCollection<string> KeyFingerprints => _keys;

    /// <summary>The time of the latest valid checkpoint, or null when there is none.</summary>
    public DateTimeOffset? LatestSignedAt => _latestSignedAt;

    /// <summary>Loads and checks the signature of every checkpoint in the store.</summary>
    public async Task LoadAsync(IEvidenceStore store, Action<string, FindingKind, string> add, CancellationToken cancellationToken = default)
    {
        await foreach (var stored in CheckpointReader.ReadAllAsync(store, cancellationToken).ConfigureAwait(false))
        {
            Add("checkpoints/" + stored.Name, stored, add);
        }
    }

    /// <summary>Adds one checkpoint (from a store or a bundle); <paramref name="place"/> names it in findings.</summary>
    public LedgerCheckpoint? Add(string place, StoredCheckpoint stored, Action<string, FindingKind, string> add)
    {
        if (stored.Checkpoint is not { } checkpoint)
        {
            add(place, FindingKind.Unreadable, stored.Problem ?? "is not a readable checkpoint.");
            return null;
        }

        if (!checkpoint.HasValidSignature(out var key))
        {
            add(place, FindingKind.Altered, $"is altered: its signature does not verify with the key it names ({checkpoint.PublicKeySha256}).");
            return null;
        }

        if (pinnedKey is not null && key!.Fingerprint != pinnedKey.Fingerprint)
        {
            add(place, FindingKind.Mismatch, $"is signed by key {key.Fingerprint}, not by the pinned key {pinnedKey.Fingerprint}.");
            return null;
        }

        if (place.StartsWith("checkpoints/", StringComparison.Ordinal) && !string.Equals(stored.Name, checkpoint.Name, StringComparison.Ordinal))
        {
            add(place, FindingKind.Mismatch, $"is stored under a name that does not match its content (segment '{checkpoint.Segment}' entry {checkpoint.Sequence}).");
        }

        if (!_bySegment.TryGetValue(checkpoint.Segment, out var signed))
        {
            signed = [];
            _bySegment[checkpoint.Segment] = signed;
        }

        if (signed.TryGetValue(checkpoint.Sequence, out var other) && other.Hash != checkpoint.HeadHash)
        {
            add(place, FindingKind.Mismatch, $"signs head {checkpoint.HeadHash} for segment '{checkpoint.Segment}' entry {checkpoint.Sequence}, but {other.Place} signs {other.Hash}.");
        }

        signed[checkpoint.Sequence] = new Signed(checkpoint.HeadHash, place, checkpoint.SignedAt);
        _keys.Add(key!.Fingerprint);
        _latestSignedAt = _latestSignedAt is { } latest && latest > checkpoint.SignedAt ? latest : checkpoint.SignedAt;
        Count++;
        return checkpoint;
    }

    /// <summary>Called for every ledger entry in chain order (after <see cref="LoadAsync"/>); returns problems found at this entry.</summary>
    public IEnumerable<string> Observe(LedgerEntry entry)
    {
        var cutoff = _latestSignedAt - UncoveredGrace;
        var (_, beforeCutoff) = _seen.GetValueOrDefault(entry.Segment);
        _seen[entry.Segment] = (entry.Sequence, cutoff is { } c && entry.RecordedAt <= c ? Math.Max(beforeCutoff, entry.Sequence) : beforeCutoff);
        if (_bySegment.TryGetValue(entry.Segment, out var signed) && signed.TryGetValue(entry.Sequence, out var checkpoint) && checkpoint.Hash != entry.Hash)
        {
            yield return $"entry {entry.Sequence} hashes to {entry.Hash}, but {checkpoint.Place} (signed {Iso(checkpoint.SignedAt)}) records {checkpoint.Hash}: " +
                "the segment was rewritten and re-chained before that checkpoint (entries altered, removed or inserted).";
        }
    }

    /// <summary>After the whole ledger was observed: what the checkpoints record that the ledger no longer has.</summary>
    public void Finish(Action<string, FindingKind, string> add, bool ledgerComplete = true)
    {
        foreach (var (segment, signed) in _bySegment)
        {
            var latest = signed.Last();
            var name = $"ledger segment '{segment}'";
            if (!_seen.TryGetValue(segment, out var seen))
            {
                if (ledgerComplete)
                {
                    add(name, FindingKind.Removed, $"is missing: {latest.Value.Place} (signed {Iso(latest.Value.SignedAt)}) records {latest.Key} entries with head {latest.Value.Hash}.");
                }

                continue;
            }

            if (ledgerComplete && seen.LastSequence < latest.Key)
            {
                add(name, FindingKind.Removed, $"is truncated: it ends at entry {seen.LastSequence}, but {latest.Value.Place} (signed {Iso(latest.Value.SignedAt)}) records {latest.Key} entries with head {latest.Value.Hash}: entries were removed (and the chain rebuilt) or the segment was cut short.");
            }
        }

        foreach (var (segment, seen) in _seen)
        {
            var covered = _bySegment.TryGetValue(segment, out var signed) ? signed.Keys.Max() : 0;
            if (seen.LastRecordedBeforeCutoff > covered)
            {
                add($"ledger segment '{segment}'", FindingKind.Added,
                    $"entries {covered + 1}–{seen.LastRecordedBeforeCutoff} claim to be recorded before the latest checkpoint ({Iso(_latestSignedAt!.Value)}) but no signed checkpoint covers them: they were added afterwards.");
            }
        }
    }

    private static string Iso(DateTimeOffset t) => IO.Timestamps.Iso(t);

    private sealed record Signed(string Hash, string Place, DateTimeOffset SignedAt);
}
