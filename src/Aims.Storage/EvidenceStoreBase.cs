using System.Runtime.CompilerServices;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Storage;

/// <summary>
/// The store rules, written once for every backend: create-only items, ledger, a derived index, recovery on
/// redelivery, and state kept apart from evidence. A backend supplies the primitive operations on named objects.
/// </summary>
/// <remarks>
/// Write order for an item: (1) the item object, create-only; (2) its ledger entry; (3) its index row, which also
/// records "this item is in the ledger". A crash after (1) leaves an item without a ledger entry; the job is
/// redelivered, (1) reports "already exists", and the backend completes (2) and (3) unless the index already
/// holds the item: one key lookup, whatever the ledger's length. The evidence area only ever receives
/// create-only writes (items, raw payloads, ledger appends, checkpoints); reports and caches go to the state area.
/// </remarks>
public abstract class EvidenceStoreBase : IEvidenceStore
{
    public abstract string Description { get; }

    public abstract string ReportsLocation { get; }

    // ---- primitives a backend implements -------------------------------------------------------

    /// <summary>Creates an object only if absent. Returns false when it already exists.</summary>
    protected abstract Task<bool> TryCreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Opens an object for streaming reads, or null when absent.</summary>
    protected abstract Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Writes a state object (report, cache, collector state) unconditionally, in the state area.</summary>
    protected abstract Task WriteStateAsync(string name, Stream content, CancellationToken cancellationToken);

    /// <summary>Opens a state object, or null when absent.</summary>
    protected abstract Task<Stream?> OpenStateAsync(string name, CancellationToken cancellationToken);

    /// <summary>Lists state object names (relative to the state area) under a prefix.</summary>
    protected abstract IAsyncEnumerable<string> ListStateAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>True when there is a store here at all (a folder, a container): for commands that only read.</summary>
    public abstract Task<bool> ExistsAsync(CancellationToken cancellationToken = default);

    /// <summary>The derived index next to this store.</summary>
    public abstract IEvidenceIndexStore Index { get; }

    /// <summary>Lists object names under a prefix, streaming page by page.</summary>
    protected abstract IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>
    /// Appends one entry for <paramref name="item"/> to the ledger and records it in the index. When
    /// <paramref name="redelivered"/>, the item was already stored: append only if the ledger does not hold it yet.
    /// </summary>
    protected abstract Task AppendLedgerAsync(EvidenceItem item, bool redelivered, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<LedgerEntry> ReadLedgerAsync(CancellationToken cancellationToken = default);

    public abstract Task<RawRef> PutRawAsync(Stream content, CancellationToken cancellationToken = default);

    // ---- the contract ---------------------------------------------------------------------------

    public Task<Stream?> OpenRawAsync(string sha256, CancellationToken cancellationToken = default) =>
        OpenReadAsync(StoreLayout.RawPath(sha256), cancellationToken);

    public async Task<WriteOutcome> PutItemAsync(EvidenceItem item, CancellationToken cancellationToken = default)
    {
        RequireSealed(item);
        try
        {
            return await PutSealedItemAsync(item, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Failure(ex);
        }
    }

    /// <summary>
    /// Writes a batch with the rules of <see cref="PutItemAsync"/>. Every item is checked before anything is written, so a
    /// bad item in the batch leaves the store untouched.
    /// </summary>
    public async Task<IReadOnlyList<WriteOutcome>> PutItemsAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken = default)
    {
        foreach (var item in items)
        {
            RequireSealed(item);
        }

        var outcomes = new WriteOutcome[items.Count];
        var firstOf = new Dictionary<string, int>(StringComparer.Ordinal);
        var unique = new List<EvidenceItem>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            // The same id twice in one batch behaves as two writes in a row: the first wins.
            if (firstOf.TryAdd(items[i].Id, i))
            {
                unique.Add(items[i]);
            }
            else
            {
                outcomes[i] = WriteOutcome.AlreadyExists;
            }
        }

        IReadOnlyList<WriteOutcome> written;
        try
        {
            written = await PutSealedItemsAsync(unique, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Failure(ex);
        }

        for (var u = 0; u < unique.Count; u++)
        {
            outcomes[firstOf[unique[u].Id]] = written[u];
        }

        return outcomes;
    }

    /// <summary>
    /// Writes sealed items with distinct ids. This default writes them one by one; a backend with costly round trips
    /// batches the item writes, the ledger append and the index update, keeping the write order of each item
    /// (item object, then ledger entry, then index row) so redelivery recovers a crash at any point.
    /// </summary>
    protected virtual async Task<IReadOnlyList<WriteOutcome>> PutSealedItemsAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new WriteOutcome[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            outcomes[i] = await PutSealedItemAsync(items[i], cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    private static void RequireSealed(EvidenceItem item)
    {
        if (string.IsNullOrEmpty(item.Sha256) || EvidenceItemJson.ComputeHash(item) != item.Sha256)
        {
            throw new ArgumentException($"Item {item.Id} is not sealed: seal it with EvidenceItemJson.Seal before storing.", nameof(item));
        }

        _ = StoreLayout.ItemPath(item.Id);
    }

    /// <summary>True for exceptions that mean the store itself failed (I/O, access, the index database, the service).</summary>
    protected virtual bool IsStoreFault(Exception exception) =>
        exception is IOException or UnauthorizedAccessException or System.Data.Common.DbException;

    /// <summary>A <see cref="StoreFailureException"/> naming this store and the cause in one line.</summary>
    protected StoreFailureException Failure(Exception exception)
    {
        var cause = exception is AggregateException aggregate ? aggregate.Flatten().InnerExceptions[^1] : exception;
        return new StoreFailureException(Description, cause.Message.Split('\n')[0].Trim(), exception);
    }

    private async Task<WriteOutcome> PutSealedItemAsync(EvidenceItem item, CancellationToken cancellationToken)
    {

        var path = StoreLayout.ItemPath(item.Id);
        if (await TryCreateAsync(path, EvidenceItemJson.ToBytes(item), cancellationToken).ConfigureAwait(false))
        {
            await AppendLedgerAsync(item, redelivered: false, cancellationToken).ConfigureAwait(false);
            return WriteOutcome.Created;
        }

        // Redelivery (or a concurrent writer of the same deterministic item): the first write wins. The index says in
        // one lookup whether its ledger entry exists; only a crashed first attempt leaves something to finish.
        if (await Index.ContainsItemAsync(item.Id, cancellationToken).ConfigureAwait(false))
        {
            return WriteOutcome.AlreadyExists;
        }

        var stored = await GetItemAsync(item.Id, cancellationToken).ConfigureAwait(false) ?? item;
        await AppendLedgerAsync(stored, redelivered: true, cancellationToken).ConfigureAwait(false);
        return WriteOutcome.AlreadyExists;
    }

    public async Task<EvidenceItem?> GetItemAsync(string id, CancellationToken cancellationToken = default)
    {
        await using var stream = await OpenItemAsync(id, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        try
        {
            return EvidenceItemJson.Parse(buffer.GetBuffer().AsSpan(0, (int)buffer.Length));
        }
        catch (FormatException ex)
        {
            throw new FormatException($"Stored item {StoreLayout.ItemPath(id)} is unreadable: {ex.Message}", ex);
        }
    }

    public Task<Stream?> OpenItemAsync(string id, CancellationToken cancellationToken = default) =>
        OpenReadAsync(StoreLayout.ItemPath(id), cancellationToken);

    public async IAsyncEnumerable<string> ListItemIdsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var path in ListAsync(StoreLayout.ItemsPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (StoreLayout.ItemIdFromPath(path) is { } id)
            {
                yield return id;
            }
        }
    }

    /// <summary>Every stored object name under items/ (including names that are not well-formed items, for verification).</summary>
    public IAsyncEnumerable<string> ListItemPathsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(StoreLayout.ItemsPrefix, cancellationToken);

    /// <summary>Every stored raw payload name.</summary>
    public IAsyncEnumerable<string> ListRawPathsAsync(CancellationToken cancellationToken = default) =>
        ListAsync(StoreLayout.RawPrefix, cancellationToken);

    public async Task<EvidenceIndex> ReadIndexAsync(string kind, CancellationToken cancellationToken = default)
    {
        var index = new EvidenceIndex(StoreLayout.ValidKind(kind));
        await foreach (var entry in ReadLatestAsync(kind, null, cancellationToken).ConfigureAwait(false))
        {
            index.Merge(entry);
        }

        return index;
    }

    public IAsyncEnumerable<IndexEntry> ReadLatestAsync(string kind, DateTimeOffset? asOf, CancellationToken cancellationToken = default) =>
        ReadValidLatestAsync(StoreLayout.ValidKind(kind), asOf, cancellationToken);

    private async IAsyncEnumerable<IndexEntry> ReadValidLatestAsync(string kind, DateTimeOffset? asOf, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        if (asOf is null || Index.KeepsHistory)
        {
            await foreach (var entry in Index.ReadAsync(kind, asOf, cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }

            yield break;
        }

        // An index that keeps only the latest cannot answer a past date: derive it from the ledger (one pass).
        var latest = new EvidenceIndex(kind);
        await foreach (var entry in ReadLedgerAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.IndexKind == kind && entry.ObservedAt <= asOf.Value)
            {
                latest.Merge(IndexedObservation.For(entry).Entry);
            }
        }

        foreach (var entry in latest.Entries)
        {
            yield return entry;
        }
    }

    public IAsyncEnumerable<string> ListIndexedKindsAsync(CancellationToken cancellationToken = default) => Index.ListKindsAsync(cancellationToken);

    /// <summary>
    /// Rebuilds the index from the ledger: every ledger entry whose item is stored is recorded again. Returns how many
    /// entries were recorded; entries whose item is missing are left out (verify reports them).
    /// </summary>
    public async Task<int> RebuildIndexAsync(CancellationToken cancellationToken = default)
    {
        await Index.ClearAsync(cancellationToken).ConfigureAwait(false);
        var batch = new List<IndexedObservation>(500);
        var count = 0;
        await foreach (var entry in ReadLedgerAsync(cancellationToken).ConfigureAwait(false))
        {
            batch.Add(IndexedObservation.For(entry));
            if (batch.Count == batch.Capacity)
            {
                await Index.RecordAsync(batch, cancellationToken).ConfigureAwait(false);
                count += batch.Count;
                batch.Clear();
            }
        }

        await Index.RecordAsync(batch, cancellationToken).ConfigureAwait(false);
        await OnIndexRebuiltAsync(cancellationToken).ConfigureAwait(false);
        return count + batch.Count;
    }

    /// <summary>Lets a backend note that its index now covers the whole ledger.</summary>
    protected virtual Task OnIndexRebuiltAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Each segment's head from the last entry of each ledger file (<see cref="ReadLedgerTailsAsync"/>), never a scan of
    /// the whole ledger: it runs at checkpoint time after every job.
    /// </summary>
    public async Task<IReadOnlyList<LedgerHead>> ReadLedgerHeadsAsync(CancellationToken cancellationToken = default)
    {
        var tails = new List<LedgerEntry>();
        await foreach (var entry in ReadLedgerTailsAsync(cancellationToken).ConfigureAwait(false))
        {
            tails.Add(entry);
        }

        return LedgerTail.Heads(tails);
    }

    /// <summary>
    /// The last entry of every ledger file or part (a segment's head is the one with the highest sequence). A backend
    /// reads each from the end (<see cref="LedgerTail"/>), so the cost follows the number of parts, not of entries.
    /// </summary>
    protected abstract IAsyncEnumerable<LedgerEntry> ReadLedgerTailsAsync(CancellationToken cancellationToken);

    public async Task<WriteOutcome> PutCheckpointAsync(string name, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        await TryCreateAsync(StoreLayout.CheckpointPath(name), content, cancellationToken).ConfigureAwait(false)
            ? WriteOutcome.Created
            : WriteOutcome.AlreadyExists;

    public async IAsyncEnumerable<string> ListCheckpointNamesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var path in ListAsync(StoreLayout.CheckpointsPrefix, cancellationToken).ConfigureAwait(false))
        {
            yield return path[StoreLayout.CheckpointsPrefix.Length..];
        }
    }

    public Task<Stream?> OpenCheckpointAsync(string name, CancellationToken cancellationToken = default) =>
        OpenReadAsync(StoreLayout.CheckpointPath(name), cancellationToken);

    public async Task PutReportAsync(string name, Stream content, CancellationToken cancellationToken = default)
    {
        var path = StoreLayout.ReportPath(name);
        try
        {
            await WriteStateAsync(path, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Failure(ex);
        }
    }

    public Task<Stream?> OpenReportAsync(string name, CancellationToken cancellationToken = default) =>
        OpenStateAsync(StoreLayout.ReportPath(name), cancellationToken);

    public async IAsyncEnumerable<string> ListReportNamesAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Validated like a name, so a prefix cannot walk out of the reports area.
        var full = prefix.Length == 0 ? StoreLayout.ReportsPrefix : StoreLayout.ReportPath(prefix);
        await foreach (var path in ListStateAsync(full, cancellationToken).ConfigureAwait(false))
        {
            yield return path[StoreLayout.ReportsPrefix.Length..];
        }
    }
}
