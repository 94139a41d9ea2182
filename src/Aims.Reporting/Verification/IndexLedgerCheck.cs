using Aims.Evidence.Store;
using Aims.Reporting.IO;

namespace Aims.Reporting.Verification;

/// <summary>
/// The index is derived from the ledger, so it must say exactly what the ledger says: per kind and subject the same
/// latest item, with the same hash and error flag. The ledger walk feeds <see cref="Observe"/>; <see cref="CheckAsync"/>
/// then reads the index kind by kind and names every difference. Memory: one entry per kind and subject.
/// </summary>
internal sealed class IndexLedgerCheck
{
    private readonly Dictionary<string, Dictionary<string, IndexEntry>> _expected = new(StringComparer.Ordinal);

    public void Observe(LedgerEntry entry)
    {
        var (kind, observed) = IndexedObservation.For(entry);
        if (!_expected.TryGetValue(kind, out var subjects))
        {
            _expected[kind] = subjects = new Dictionary<string, IndexEntry>(StringComparer.Ordinal);
        }

        if (!subjects.TryGetValue(observed.SubjectKey, out var current) || observed.Supersedes(current))
        {
            subjects[observed.SubjectKey] = observed;
        }
    }

    /// <summary>Compares; <paramref name="isBad"/> tells items found missing or altered by the ledger check.</summary>
    public async Task CheckAsync(IEvidenceStore store, Func<string, bool> isBad, Action<string, FindingKind, string> add, CancellationToken cancellationToken)
    {
        var kinds = new SortedSet<string>(_expected.Keys, StringComparer.Ordinal);
        await foreach (var kind in store.ListIndexedKindsAsync(cancellationToken).ConfigureAwait(false))
        {
            kinds.Add(kind);
        }

        foreach (var kind in kinds)
        {
            var name = StoreNames.Index(kind);
            var expected = _expected.GetValueOrDefault(kind) ?? [];
            var seen = new HashSet<string>(StringComparer.Ordinal);
            await foreach (var actual in store.ReadLatestAsync(kind, null, cancellationToken).ConfigureAwait(false))
            {
                seen.Add(actual.SubjectKey);
                if (!expected.TryGetValue(actual.SubjectKey, out var want))
                {
                    add(name, FindingKind.Added, $"lists {actual.SubjectKey} (item {actual.ItemId}), which the ledger has no {kind} entry for.");
                    continue;
                }

                if (actual.ItemId != want.ItemId)
                {
                    add(name, FindingKind.Mismatch, $"points {actual.SubjectKey} to item {actual.ItemId}, but the ledger's latest is {want.ItemId} (run 'aims index rebuild').");
                    continue;
                }

                if (actual.ItemSha256 != want.ItemSha256)
                {
                    add(name, FindingKind.Mismatch, $"records hash {actual.ItemSha256} for {actual.SubjectKey} (item {actual.ItemId}), but the ledger recorded {want.ItemSha256}.");
                }

                if (actual.IsError != want.IsError)
                {
                    add(name, FindingKind.Mismatch, $"marks {actual.SubjectKey} (item {actual.ItemId}) as {(actual.IsError ? "a collector error" : "a successful observation")}, but the ledger records {(want.IsError ? "a collector error" : "a successful observation")}.");
                }

                if (actual.ObservedAt.UtcTicks != want.ObservedAt.UtcTicks)
                {
                    add(name, FindingKind.Mismatch, $"records {actual.SubjectKey} (item {actual.ItemId}) as observed at {actual.ObservedAt:O}, but the ledger says {want.ObservedAt:O}.");
                }

                if (isBad(actual.ItemId))
                {
                    add(name, FindingKind.Mismatch, $"points {actual.SubjectKey} to item {actual.ItemId}, which is missing or altered.");
                }
            }

            foreach (var (subject, want) in expected.Where(e => !seen.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
            {
                add(name, FindingKind.Removed, $"has no entry for {subject}, but the ledger's latest {kind} for it is item {want.ItemId} (run 'aims index rebuild').");
            }
        }
    }
}
