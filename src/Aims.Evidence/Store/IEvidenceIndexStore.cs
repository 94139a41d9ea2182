namespace Aims.Evidence.Store;

/// <summary>One observation as the index records it: the kind it is indexed under and its entry.</summary>
public sealed record IndexedObservation(string Kind, IndexEntry Entry)
{
    public static IndexedObservation For(Items.EvidenceItem item) => new(item.IndexKind, IndexEntry.For(item));

    public static IndexedObservation For(LedgerEntry entry) =>
        new(entry.IndexKind, new IndexEntry(entry.SubjectKey, entry.ItemId, entry.ItemSha256, entry.ObservedAt, entry.IsCollectorError));
}

/// <summary>
/// The derived index of a store: the latest observation per kind and subject, and which item ids the ledger holds.
/// It costs O(1) per recorded item (never a rewrite of a kind's whole index) and can always be rebuilt from the
/// ledger. Implementations: SQLite next to a folder store, Azure Tables next to a Blob store.
/// </summary>
public interface IEvidenceIndexStore
{
    /// <summary>Where the index lives, for messages (never a key).</summary>
    string Description { get; }

    /// <summary>True when this index keeps every observation and answers <see cref="ReadAsync"/> for any date itself.</summary>
    bool KeepsHistory { get; }

    /// <summary>
    /// Records observations whose ledger entries are written. Per kind and subject the winner is
    /// <see cref="IndexEntry.Supersedes"/>; recording the same item twice changes nothing.
    /// </summary>
    Task RecordAsync(IReadOnlyList<IndexedObservation> observations, CancellationToken cancellationToken = default);

    /// <summary>True when <paramref name="itemId"/> was recorded, i.e. its ledger entry exists. Cost independent of the ledger's length.</summary>
    Task<bool> ContainsItemAsync(string itemId, CancellationToken cancellationToken = default);

    /// <summary>Every kind with at least one entry.</summary>
    IAsyncEnumerable<string> ListKindsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest entry per subject of <paramref name="kind"/>, ordered by subject; with <paramref name="asOf"/>, the latest
    /// observed on or before it (only when <see cref="KeepsHistory"/>; otherwise the store answers past dates from the ledger).
    /// </summary>
    IAsyncEnumerable<IndexEntry> ReadAsync(string kind, DateTimeOffset? asOf = null, CancellationToken cancellationToken = default);

    /// <summary>Removes every entry (before a rebuild).</summary>
    Task ClearAsync(CancellationToken cancellationToken = default);
}
