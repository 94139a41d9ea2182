using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Aims.Evidence.Store;
using Azure;
using Azure.Data.Tables;
using Microsoft.Extensions.Logging;

namespace Aims.Storage.Azure;

/// <summary>
/// The Blob store's index in one Azure Table. Per item it costs a share of a query and of a transaction, never a rewrite:
/// <list type="bullet">
/// <item><c>latest-{kind}</c> / hex(subject): the subject's latest observation, replaced under its ETag (412 → re-read);</item>
/// <item><c>items-{id[0]}</c> / id: the item's ledger state — <c>ledgered</c> once appended, so "is it in the ledger?" is
/// one point read; <c>claimed</c> by the writer taking over an item whose writer died before appending its entry;</item>
/// <item><c>kinds</c> / kind: the kinds that have entries.</item>
/// </list>
/// It keeps only the latest per subject: a past date is answered from the ledger by the store.
/// </summary>
public sealed class TablesEvidenceIndex(TableClient table, ILogger? logger = null) : IEvidenceIndexStore
{
    /// <summary>Marks this object's claims, so a claim whose answer was lost (the retry finds it taken) is known as its own.</summary>
    private readonly string _claimToken = Guid.NewGuid().ToString("N");

    private const string Ledgered = "ledgered";
    private const string Claimed = "claimed";
    private const string KindsPartition = "kinds";
    private const int MaxAttempts = 64;
    private const int MaxTransactionActions = 100;
    private const int MaxParallelRequests = 8;
    private readonly HashSet<string> _knownKinds = new(StringComparer.Ordinal);
    private int _tableReady;

    public string Description => table.Uri.GetLeftPart(UriPartial.Path);

    public bool KeepsHistory => false;

    public TableClient Table => table;

    /// <summary>
    /// Records a batch: the newest observation per subject is merged against the subject's stored row (read 14 subjects per
    /// query), and the writes go in one transaction per partition (≤ 100 each): adds, replaces under the read ETag, and the
    /// items' <c>ledgered</c> states. A row another writer changed in between is merged again on its own.
    /// </summary>
    public async Task RecordAsync(IReadOnlyList<IndexedObservation> observations, CancellationToken cancellationToken = default)
    {
        if (observations.Count == 0)
        {
            return;
        }

        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var newest = new Dictionary<(string Kind, string Subject), IndexedObservation>();
        foreach (var observation in observations)
        {
            await RecordKindAsync(observation.Kind, cancellationToken).ConfigureAwait(false);
            var key = (observation.Kind, observation.Entry.SubjectKey);
            if (!newest.TryGetValue(key, out var known) || observation.Entry.Supersedes(known.Entry))
            {
                newest[key] = observation;
            }
        }

        var current = await ReadLatestRowsAsync(newest.Values, cancellationToken).ConfigureAwait(false);
        var writes = new List<(IndexedObservation Observation, TableTransactionAction Action)>();
        foreach (var observation in newest.Values)
        {
            var (kind, entry) = observation;
            var partition = LatestPartition(kind);
            var row = SubjectRowKey(entry.SubjectKey);
            if (!current.TryGetValue((partition, row), out var stored))
            {
                writes.Add((observation, new TableTransactionAction(TableTransactionActionType.Add, ToEntity(partition, row, entry))));
            }
            else if (entry.Supersedes(ToEntry(stored)))
            {
                writes.Add((observation, new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(partition, row, entry), stored.ETag)));
            }
        }

        var byAction = writes.ToDictionary(w => w.Action, w => w.Observation);
        var conflicts = await SubmitAsync(byAction.Keys, status => status is 409 or 412, cancellationToken).ConfigureAwait(false);
        foreach (var conflict in conflicts)
        {
            // Another writer changed this subject between our read and write: read again and merge again.
            var (kind, entry) = byAction[conflict];
            await MergeLatestAsync(kind, entry, cancellationToken).ConfigureAwait(false);
        }

        var ledgered = observations.Select(o => o.Entry.ItemId).Distinct(StringComparer.Ordinal)
            .Select(id => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(ItemPartition(id), id) { ["State"] = Ledgered }));
        await SubmitAsync(ledgered, _ => false, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The stored latest rows of the observations' subjects (absent subjects are not in the result), read with one query per
    /// partition and up to <see cref="RowsPerQuery"/> row keys, queries in parallel: a batch of 100 subjects of one kind
    /// costs 8 requests where point reads cost 100. Azure Tables allows at most 15 comparisons in a filter, so a query
    /// names its partition and 14 row keys; a subject whose row key is very long gets a point read of its own.
    /// </summary>
    private async Task<Dictionary<(string Partition, string Row), TableEntity>> ReadLatestRowsAsync(IEnumerable<IndexedObservation> observations, CancellationToken cancellationToken)
    {
        var queries = new List<(string Partition, string[] Rows)>();
        foreach (var partition in observations.GroupBy(o => LatestPartition(o.Kind), StringComparer.Ordinal))
        {
            var rows = partition.Select(o => SubjectRowKey(o.Entry.SubjectKey)).Distinct(StringComparer.Ordinal).ToList();
            queries.AddRange(rows.Where(r => r.Length > MaxQueriedRowKeyLength).Select(r => (partition.Key, new[] { r })));
            queries.AddRange(rows.Where(r => r.Length <= MaxQueriedRowKeyLength).Chunk(RowsPerQuery).Select(chunk => (partition.Key, chunk)));
        }

        var found = new ConcurrentDictionary<(string Partition, string Row), TableEntity>();
        await Parallel.ForEachAsync(queries, Concurrently(cancellationToken), async (query, ct) =>
        {
            if (query.Rows.Length == 1)
            {
                var one = await table.GetEntityIfExistsAsync<TableEntity>(query.Partition, query.Rows[0], cancellationToken: ct).ConfigureAwait(false);
                if (one.HasValue)
                {
                    found[(query.Partition, query.Rows[0])] = one.Value!;
                }

                return;
            }

            var rows = string.Join(" or ", query.Rows.Select(r => TableClient.CreateQueryFilter($"RowKey eq {r}")));
            var filter = $"{TableClient.CreateQueryFilter($"PartitionKey eq {query.Partition}")} and ({rows})";
            await foreach (var entity in QueryAsync(filter, ct).ConfigureAwait(false))
            {
                found[(entity.PartitionKey, entity.RowKey)] = entity;
            }
        }).ConfigureAwait(false);
        return new Dictionary<(string Partition, string Row), TableEntity>(found);
    }

    /// <summary>Row keys one filter names besides its partition: the service allows 15 comparisons per filter.</summary>
    private const int RowsPerQuery = 14;

    /// <summary>Row keys longer than this (subjects of more than 256 bytes) are read on their own, keeping the query URL short.</summary>
    private const int MaxQueriedRowKeyLength = 512;

    public async Task<bool> ContainsItemAsync(string itemId, CancellationToken cancellationToken = default) =>
        await ItemStateAsync(itemId, cancellationToken).ConfigureAwait(false) == Ledgered;

    /// <summary>
    /// Claims the right to append the ledger entries of <paramref name="itemIds"/>, one transaction per partition: returns
    /// the ids claimed here; the others are held by another writer (their transaction is resubmitted without them).
    /// </summary>
    internal async Task<IReadOnlySet<string>> TryClaimAsync(IReadOnlyList<string> itemIds, string segment, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken).ConfigureAwait(false);
        var claims = itemIds.Select(id => new TableTransactionAction(TableTransactionActionType.Add, new TableEntity(ItemPartition(id), id) { ["State"] = Claimed, ["Segment"] = segment, ["Claim"] = _claimToken })).ToList();
        var taken = await SubmitAsync(claims, status => status == 409, cancellationToken).ConfigureAwait(false);
        var claimed = new HashSet<string>(itemIds, StringComparer.Ordinal);
        var landed = 0;
        foreach (var action in taken)
        {
            // A retried request whose first attempt landed finds its own claim: only another writer's claim is taken.
            var row = await table.GetEntityIfExistsAsync<TableEntity>(action.Entity.PartitionKey, action.Entity.RowKey, ["State", "Claim"], cancellationToken).ConfigureAwait(false);
            if (row.HasValue && row.Value!.GetString("State") == Claimed && row.Value.GetString("Claim") == _claimToken)
            {
                landed++;
                continue;
            }

            claimed.Remove(action.Entity.RowKey);
        }

        if (landed > 0 && logger is not null)
        {
            StoreLog.ClaimsLanded(logger, landed);
        }

        return claimed;
    }

    /// <summary>
    /// Submits <paramref name="actions"/> in transactions of one partition and at most 100 actions, partitions in parallel.
    /// An action the service refuses with a status <paramref name="drop"/> accepts is taken out and its transaction
    /// submitted again without it; those actions are returned. Any other failure is thrown.
    /// </summary>
    private async Task<List<TableTransactionAction>> SubmitAsync(IEnumerable<TableTransactionAction> actions, Func<int, bool> drop, CancellationToken cancellationToken)
    {
        var chunks = actions.GroupBy(a => a.Entity.PartitionKey, StringComparer.Ordinal).SelectMany(g => g.Chunk(MaxTransactionActions)).ToList();
        var dropped = new ConcurrentBag<TableTransactionAction>();
        await Parallel.ForEachAsync(chunks, Concurrently(cancellationToken), async (chunk, ct) =>
        {
            var pending = chunk.ToList();
            while (pending.Count > 0)
            {
                try
                {
                    await table.SubmitTransactionAsync(pending, ct).ConfigureAwait(false);
                    return;
                }
                catch (TableTransactionFailedException ex) when (drop(ex.Status) && ex.FailedTransactionActionIndex is { } failed && failed < pending.Count)
                {
                    dropped.Add(pending[failed]);
                    pending.RemoveAt(failed);
                }
                catch (TableTransactionFailedException ex) when (drop(ex.Status))
                {
                    // The service did not say which action failed: submit them one by one.
                    foreach (var action in pending)
                    {
                        try
                        {
                            await table.SubmitTransactionAsync([action], ct).ConfigureAwait(false);
                        }
                        catch (RequestFailedException one) when (drop(one.Status))
                        {
                            dropped.Add(action);
                        }
                    }

                    return;
                }
            }
        }).ConfigureAwait(false);
        return [.. dropped];
    }

    private static ParallelOptions Concurrently(CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = MaxParallelRequests, CancellationToken = cancellationToken };

    internal async Task<string?> ItemStateAsync(string itemId, CancellationToken cancellationToken)
    {
        // Rows written before items were spread over 16 partitions sit under their two-character partition.
        return await ItemStateAsync(ItemPartition(itemId), itemId, cancellationToken).ConfigureAwait(false)
            ?? await ItemStateAsync($"item-{itemId[..2]}", itemId, cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> ItemStateAsync(string partition, string itemId, CancellationToken cancellationToken)
    {
        try
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(partition, itemId, ["State"], cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// Item states in 16 partitions by the id's first hex digit: a batch's claims and states take one transaction per
    /// partition (at most 16 per batch), while the partitions still spread a large run's writes.
    /// </summary>
    private static string ItemPartition(string itemId) => $"items-{itemId[0]}";

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
