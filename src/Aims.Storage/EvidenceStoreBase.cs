using System.Runtime.CompilerServices;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Storage;

/// <summary>
/// The store rules, written once for every backend: create-only items, ledger, index with optimistic
/// concurrency, recovery on redelivery. A backend supplies the primitive operations on named objects.
/// </summary>
/// <remarks>
/// Write order for an item: (1) the item object, create-only; (2) its ledger entry; (3) the index.
/// A crash after (1) leaves an item without a ledger entry; the job is redelivered, (1) reports
/// "already exists", and the store then completes (2) and (3) if they are missing. So a redelivered
/// job converges to exactly one item, one ledger entry and an index that points at the newest item.
/// </remarks>
public abstract class EvidenceStoreBase : IEvidenceStore
{
    private const int MaxIndexAttempts = 64;

    public abstract string Description { get; }

    // ---- primitives a backend implements -------------------------------------------------------

    /// <summary>Creates an object only if absent. Returns false when it already exists.</summary>
    protected abstract Task<bool> TryCreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken);

    /// <summary>Opens an object for streaming reads, or null when absent.</summary>
    protected abstract Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken);

    /// <summary>Reads an object and an opaque version (ETag), or (null, null) when absent.</summary>
    protected abstract Task<(byte[]? Content, string? Version)> ReadVersionedAsync(string path, CancellationToken cancellationToken);

    /// <summary>Replaces an object only if its version is still <paramref name="expectedVersion"/> (null: only if absent).</summary>
    protected abstract Task<bool> TryReplaceAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken);

    /// <summary>Writes an object unconditionally (reports only).</summary>
    protected abstract Task OverwriteAsync(string path, Stream content, CancellationToken cancellationToken);

    /// <summary>Lists object names under a prefix, streaming page by page.</summary>
    protected abstract IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken);

    /// <summary>Appends one entry for <paramref name="item"/> to this writer's ledger chain.</summary>
    protected abstract Task AppendLedgerAsync(EvidenceItem item, CancellationToken cancellationToken);

    public abstract IAsyncEnumerable<LedgerEntry> ReadLedgerAsync(CancellationToken cancellationToken = default);

    public abstract Task<RawRef> PutRawAsync(Stream content, CancellationToken cancellationToken = default);

    // ---- the contract ---------------------------------------------------------------------------

    public Task<Stream?> OpenRawAsync(string sha256, CancellationToken cancellationToken = default) =>
        OpenReadAsync(StoreLayout.RawPath(sha256), cancellationToken);

    public async Task<WriteOutcome> PutItemAsync(EvidenceItem item, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(item.Sha256) || EvidenceItemJson.ComputeHash(item) != item.Sha256)
        {
            throw new ArgumentException($"Item {item.Id} is not sealed: seal it with EvidenceItemJson.Seal before storing.", nameof(item));
        }

        var path = StoreLayout.ItemPath(item.Id);
        if (await TryCreateAsync(path, EvidenceItemJson.ToBytes(item), cancellationToken).ConfigureAwait(false))
        {
            await AppendLedgerAsync(item, cancellationToken).ConfigureAwait(false);
            await UpdateIndexAsync(item, cancellationToken).ConfigureAwait(false);
            return WriteOutcome.Created;
        }

        // Redelivery: the first write wins. Finish what a crashed first attempt may have left undone.
        var stored = await GetItemAsync(item.Id, cancellationToken).ConfigureAwait(false) ?? item;
        if (!await LedgerContainsAsync(stored.Id, cancellationToken).ConfigureAwait(false))
        {
            await AppendLedgerAsync(stored, cancellationToken).ConfigureAwait(false);
        }

        await UpdateIndexAsync(stored, cancellationToken).ConfigureAwait(false);
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
        var (content, _) = await ReadVersionedAsync(StoreLayout.IndexPath(kind), cancellationToken).ConfigureAwait(false);
        return content is null ? new EvidenceIndex(kind) : EvidenceIndex.Parse(kind, content);
    }

    public async IAsyncEnumerable<string> ListIndexedKindsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var path in ListAsync(StoreLayout.IndexPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (StoreLayout.KindFromIndexPath(path) is { } kind)
            {
                yield return kind;
            }
        }
    }

    public virtual async Task<IReadOnlyList<LedgerHead>> ReadLedgerHeadsAsync(CancellationToken cancellationToken = default)
    {
        var heads = new Dictionary<string, LedgerHead>(StringComparer.Ordinal);
        await foreach (var entry in ReadLedgerAsync(cancellationToken).ConfigureAwait(false))
        {
            heads[entry.Segment] = new LedgerHead(entry.Segment, entry.Sequence, entry.Hash, entry.RecordedAt);
        }

        return heads.Values.OrderBy(h => h.Segment, StringComparer.Ordinal).ToList();
    }

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

    public async Task PutReportAsync(string name, Stream content, CancellationToken cancellationToken = default) =>
        await OverwriteAsync(StoreLayout.ReportPath(name), content, cancellationToken).ConfigureAwait(false);

    public Task<Stream?> OpenReportAsync(string name, CancellationToken cancellationToken = default) =>
        OpenReadAsync(StoreLayout.ReportPath(name), cancellationToken);

    public async IAsyncEnumerable<string> ListReportNamesAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Validated like a name, so a prefix cannot walk out of the reports area.
        var full = prefix.Length == 0 ? StoreLayout.ReportsPrefix : StoreLayout.ReportPath(prefix);
        await foreach (var path in ListAsync(full, cancellationToken).ConfigureAwait(false))
        {
            yield return path[StoreLayout.ReportsPrefix.Length..];
        }
    }

    /// <summary>True when the ledger already records <paramref name="itemId"/>. Only called on redelivery.</summary>
    protected virtual async Task<bool> LedgerContainsAsync(string itemId, CancellationToken cancellationToken)
    {
        await foreach (var entry in ReadLedgerAsync(cancellationToken).ConfigureAwait(false))
        {
            if (entry.ItemId == itemId)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Read, merge, write-if-unchanged; on a lost race re-read and merge again.</summary>
    private async Task UpdateIndexAsync(EvidenceItem item, CancellationToken cancellationToken)
    {
        var path = StoreLayout.IndexPath(item.IndexKind);
        var entry = IndexEntry.For(item);
        for (var attempt = 0; attempt < MaxIndexAttempts; attempt++)
        {
            var (content, version) = await ReadVersionedAsync(path, cancellationToken).ConfigureAwait(false);
            var index = content is null ? new EvidenceIndex(item.IndexKind) : EvidenceIndex.Parse(item.IndexKind, content);
            if (!index.Merge(entry))
            {
                return;
            }

            if (await TryReplaceAsync(path, index.ToBytes(), version, cancellationToken).ConfigureAwait(false))
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 + (attempt * 10))), cancellationToken).ConfigureAwait(false);
        }

        throw new IOException($"Could not update {path} after {MaxIndexAttempts} attempts: too many concurrent writers.");
    }
}
