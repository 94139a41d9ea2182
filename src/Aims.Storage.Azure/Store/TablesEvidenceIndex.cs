using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Aims.Evidence.Store;
using Azure;
using Azure.Data.Tables;

namespace Aims.Storage.Azure;

/// <summary>
/// The Blob store's index in one Azure Table. Per item it costs a few single-entity requests, never a rewrite:
/// <list type="bullet">
/// <item><c>latest-{kind}</c> / hex(subject): the subject's latest observation, replaced under its ETag (412 → re-read);</item>
/// <item><c>item-{id[0..2]}</c> / id: the item's ledger state — <c>claimed</c> by the writer about to append its entry,
/// <c>ledgered</c> once appended — so "is it in the ledger?" is one point read;</item>
/// <item><c>kinds</c> / kind: the kinds that have entries.</item>
/// </list>
/// It keeps only the latest per subject: a past date is answered from the ledger by the store.
/// </summary>
public sealed class TablesEvidenceIndex(TableClient table) : IEvidenceIndexStore
{
    private const string Ledgered = "ledgered";
    private const string Claimed = "claimed";
    private const string KindsPartition = "kinds";
    private const int MaxAttempts = 64;
    private readonly HashSet<string> _knownKinds = new(StringComparer.Ordinal);
    private int _tableReady;

    public string Description => table.Uri.GetLeftPart(UriPartial.Path);

    public bool KeepsHistory => false;

    public TableClient Table => table;

    public async Task RecordAsync(IReadOnlyList<IndexedObservation> observations, CancellationToken cancellationToken = default)
    {
        foreach (var (kind, entry) in observations)
        {
            await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
            await RecordKindAsync(kind, cancellationToken).ConfigureAwait(false);
            await MergeLatestAsync(kind, entry, cancellationToken).ConfigureAwait(false);
            await table.UpsertEntityAsync(new TableEntity(ItemPartition(entry.ItemId), entry.ItemId) { ["State"] = Ledgered }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task<bool> ContainsItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        await ItemStateAsync(itemId, cancellationToken).ConfigureAwait(false) == Ledgered;

    /// <summary>Claims the right to append <paramref name="itemId"/>'s ledger entry; false when another writer holds it.</summary>
    internal async Task<bool> TryClaimAsync(string itemId, string segment, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await table.AddEntityAsync(new TableEntity(ItemPartition(itemId), itemId) { ["State"] = Claimed, ["Segment"] = segment }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }
    }

    internal async Task<string?> ItemStateAsync(string itemId, CancellationToken cancellationToken)
    {
        try
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(ItemPartition(itemId), itemId, ["State"], cancellationToken).ConfigureAwait(false);
            return found.HasValue ? found.Value!.GetString("State") : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async IAsyncEnumerable<string> ListKindsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var entity in QueryAsync($"PartitionKey eq '{KindsPartition}'", cancellationToken).ConfigureAwait(false))
        {
            yield return entity.RowKey;
        }
    }

    public async IAsyncEnumerable<IndexEntry> ReadAsync(string kind, DateTimeOffset? asOf = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (asOf is not null)
        {
            throw new NotSupportedException("The Tables index keeps only the latest observation per subject; the store answers past dates from the ledger.");
        }

        await foreach (var entity in QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {LatestPartition(kind)}"), cancellationToken).ConfigureAwait(false))
        {
            yield return ToEntry(entity);
        }
    }

    public async Task ClearAsync(CancellationToken cancellationToken = default)
    {
        var batches = new Dictionary<string, List<TableTransactionAction>>(StringComparer.Ordinal);
        await foreach (var entity in QueryAsync(null, cancellationToken).ConfigureAwait(false))
        {
            if (!batches.TryGetValue(entity.PartitionKey, out var batch))
            {
                batches[entity.PartitionKey] = batch = [];
            }

            batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
            if (batch.Count == 100)
            {
                await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
                batch.Clear();
            }
        }

        foreach (var batch in batches.Values.Where(b => b.Count > 0))
        {
            await table.SubmitTransactionAsync(batch, cancellationToken).ConfigureAwait(false);
        }

        lock (_knownKinds)
        {
            _knownKinds.Clear();
        }
    }

    private async Task MergeLatestAsync(string kind, IndexEntry entry, CancellationToken cancellationToken)
    {
        var partition = LatestPartition(kind);
        var row = SubjectRowKey(entry.SubjectKey);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var current = await table.GetEntityIfExistsAsync<TableEntity>(partition, row, cancellationToken: cancellationToken).ConfigureAwait(false);
            var entity = ToEntity(partition, row, entry);
            try
            {
                if (!current.HasValue)
                {
                    await table.AddEntityAsync(entity, cancellationToken).ConfigureAwait(false);
                    return;
                }

                if (!entry.Supersedes(ToEntry(current.Value!)))
                {
                    return;
                }

                await table.UpdateEntityAsync(entity, current.Value!.ETag, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer changed this subject between our read and write: read again and merge again.
            }
        }

        throw new IOException($"Could not update the index of {kind} / {entry.SubjectKey} after {MaxAttempts} attempts: too many concurrent writers.");
    }

    private async Task RecordKindAsync(string kind, CancellationToken cancellationToken)
    {
        lock (_knownKinds)
        {
            if (_knownKinds.Contains(kind))
            {
                return;
            }
        }

        await table.UpsertEntityAsync(new TableEntity(KindsPartition, kind), TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        lock (_knownKinds)
        {
            _knownKinds.Add(kind);
        }
    }

    private async IAsyncEnumerable<TableEntity> QueryAsync(string? filter, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = table.QueryAsync<TableEntity>(filter, maxPerPage: 1000, cancellationToken: cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (RequestFailedException ex) when (ex.Status == 404)
                {
                    // No table yet: nothing indexed.
                    yield break;
                }

                foreach (var entity in pages.Current.Values)
                {
                    yield return entity;
                }
            }
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _tableReady) == 1)
        {
            return;
        }

        await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _tableReady, 1);
    }

    private static TableEntity ToEntity(string partition, string row, IndexEntry entry) => new(partition, row)
    {
        ["Subject"] = entry.SubjectKey,
        ["ItemId"] = entry.ItemId,
        ["Sha256"] = entry.ItemSha256,
        ["ObservedTicks"] = entry.ObservedAt.UtcTicks,
        ["IsError"] = entry.IsError,
    };

    private static IndexEntry ToEntry(TableEntity entity) => new(
        entity.GetString("Subject"),
        entity.GetString("ItemId"),
        entity.GetString("Sha256"),
        new DateTimeOffset(entity.GetInt64("ObservedTicks") ?? 0, TimeSpan.Zero),
        entity.GetBoolean("IsError") ?? false);

    private static string LatestPartition(string kind) => $"latest-{kind}";

    private static string ItemPartition(string itemId) => $"item-{itemId[..2]}";

    /// <summary>
    /// Row keys may not hold '/', '\', '#', '?' or control characters, which subject keys do: lowercase hex of the UTF-8
    /// keeps ordinal order. A very long subject is cut and made unique with its hash.
    /// </summary>
    internal static string SubjectRowKey(string subject)
    {
        var bytes = Encoding.UTF8.GetBytes(subject);
        return bytes.Length <= 400
            ? Convert.ToHexStringLower(bytes)
            : $"{Convert.ToHexStringLower(bytes.AsSpan(0, 400))}~{Convert.ToHexStringLower(SHA256.HashData(bytes))}";
    }
}
