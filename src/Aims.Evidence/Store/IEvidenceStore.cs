using Aims.Evidence.Items;

namespace Aims.Evidence.Store;

/// <summary>What a create-only write found.</summary>
public enum WriteOutcome
{
    Created,

    /// <summary>Something with the same name was already stored (a redelivered job): nothing was changed.</summary>
    AlreadyExists,

    /// <summary>
    /// Accepted into a batch that a batching writer stores later (at N items or at the end of its job); what the store
    /// found is counted when the batch is written.
    /// </summary>
    Deferred,
}

/// <summary>A raw payload stored content-addressed.</summary>
public sealed record RawRef(string Sha256, long Length, WriteOutcome Outcome);

/// <summary>
/// Where evidence lives. Implementations: a local folder and Azure Storage. Evidence (create-only, never changed):
/// <code>
/// items/{id[0..2]}/{id}.json     write-once evidence items (canonical JSON)
/// raw/{sha[0..2]}/{sha}          write-once raw payloads, named by their SHA-256
/// ledger/...                     hash-chained, append-only record of every item written
/// checkpoints/...                signed ledger heads, write-once
/// </code>
/// Kept apart from it (changes): the index (latest item per kind and subject; SQLite or Azure Tables, rebuilt from
/// the ledger) and state — reports/... (digests, bundles, HTTP response cache, collector state; overwritable).
/// </summary>
public interface IEvidenceStore
{
    /// <summary>A description for messages, e.g. the folder path or container URL (never a key).</summary>
    string Description { get; }

    /// <summary>
    /// Where reports (<see cref="PutReportAsync"/>) live, for links and messages: the state container's URL, or the folder
    /// store's root. Never the evidence container: reports are state and kept apart from evidence.
    /// </summary>
    string ReportsLocation { get; }

    /// <summary>Stores a raw payload under its SHA-256, streaming; an identical payload already stored costs nothing.</summary>
    Task<RawRef> PutRawAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens a raw payload for reading, or returns null when it is not stored.</summary>
    Task<Stream?> OpenRawAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a sealed item create-only, appends it to the ledger and records it in the index.
    /// An item whose id is already stored is left untouched and reported as <see cref="WriteOutcome.AlreadyExists"/>.
    /// </summary>
    Task<WriteOutcome> PutItemAsync(EvidenceItem item, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes a batch of sealed items with the same rules as <see cref="PutItemAsync"/>, one outcome per item in input
    /// order (an id repeated in the batch: the first occurrence wins, later ones are <see cref="WriteOutcome.AlreadyExists"/>).
    /// A backend may spend fewer round trips per item than one <see cref="PutItemAsync"/> each; this default does exactly that.
    /// </summary>
    async Task<IReadOnlyList<WriteOutcome>> PutItemsAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken = default)
    {
        var outcomes = new WriteOutcome[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            outcomes[i] = await PutItemAsync(items[i], cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    /// <summary>Reads an item by id, or null when absent. Throws <see cref="FormatException"/> if the stored bytes are not an item.</summary>
    Task<EvidenceItem?> GetItemAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Opens the stored bytes of an item (for bundles and verification), or null when absent.</summary>
    Task<Stream?> OpenItemAsync(string id, CancellationToken cancellationToken = default);

    /// <summary>Every stored item id, streamed in pages (a full scan: for verification, never for gap analysis).</summary>
    IAsyncEnumerable<string> ListItemIdsAsync(CancellationToken cancellationToken = default);

    /// <summary>The latest observation per subject for one evidence kind.</summary>
    Task<EvidenceIndex> ReadIndexAsync(string kind, CancellationToken cancellationToken = default);

    /// <summary>
    /// The latest observation per subject of a kind, streamed in subject order; with <paramref name="asOf"/>, the latest
    /// observed on or before that date (for analysis of a past date).
    /// </summary>
    IAsyncEnumerable<IndexEntry> ReadLatestAsync(string kind, DateTimeOffset? asOf, CancellationToken cancellationToken = default);

    /// <summary>The kinds that have an index.</summary>
    IAsyncEnumerable<string> ListIndexedKindsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every ledger entry in chain order.</summary>
    IAsyncEnumerable<LedgerEntry> ReadLedgerAsync(CancellationToken cancellationToken = default);

    /// <summary>The head (last entry) of every ledger segment.</summary>
    Task<IReadOnlyList<LedgerHead>> ReadLedgerHeadsAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a signed ledger checkpoint create-only under <c>checkpoints/{name}</c> (evidence: never overwritten).
    /// Returns <see cref="WriteOutcome.AlreadyExists"/> when that name is already stored.
    /// </summary>
    Task<WriteOutcome> PutCheckpointAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default);

    /// <summary>Every stored checkpoint name (relative to <c>checkpoints/</c>), streamed.</summary>
    IAsyncEnumerable<string> ListCheckpointNamesAsync(CancellationToken cancellationToken = default);

    /// <summary>Opens a stored checkpoint, or null when absent.</summary>
    Task<Stream?> OpenCheckpointAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>Writes (or replaces) a generated report such as a digest.</summary>
    Task PutReportAsync(string name, Stream content, CancellationToken cancellationToken = default);

    /// <summary>Opens a stored report, or null.</summary>
    Task<Stream?> OpenReportAsync(string name, CancellationToken cancellationToken = default);

    /// <summary>The names of stored reports that start with <paramref name="prefix"/> (e.g. <c>downloads/</c>), streamed.</summary>
    IAsyncEnumerable<string> ListReportNamesAsync(string prefix, CancellationToken cancellationToken = default);
}
