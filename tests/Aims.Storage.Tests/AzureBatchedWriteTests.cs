using Aims.Evidence;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Reporting.Verification;
using Aims.Storage.Azure;
using Aims.Testing.Azurite;
using Azure.Storage;
using Azure.Storage.Blobs;

namespace Aims.Storage.Tests;

/// <summary>
/// The Blob store's batched write (<c>PutItemsAsync</c>) against Azurite: the same rules as one write at a time — first
/// write wins, one ledger entry per item across writers, redelivery completes a crash — in a handful of requests.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBatchedWriteTests(AzuriteFixture azurite)
{
    /// <summary>
    /// A store on Azurite. A short claim patience makes a dead writer's claims (the crash tests) be taken over quickly;
    /// writers that are alive keep the product's patience, since a busy machine can hold a live claim for longer than a
    /// fraction of a second and taking it over then appends the entry twice.
    /// </summary>
    private AzureBlobEvidenceStore Store(string container, string writer, TimeSpan? claimPatience = null) =>
        EvidenceStores.OpenAzure(azurite.ConnectionString, container, new AzureBlobEvidenceStoreOptions
        {
            WriterId = writer,
            ClaimPatience = claimPatience ?? new AzureBlobEvidenceStoreOptions().ClaimPatience,
        });

    private static readonly TimeSpan DeadWriterPatience = TimeSpan.FromMilliseconds(300);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    private static List<EvidenceItem> Documents(string prefix, int count, string runId = "run-1") =>
        Enumerable.Range(0, count).Select(i => TestItems.Document($"{prefix}-{i}", TestItems.Monday.AddMinutes(i), runId: runId)).ToList();

    private static async Task AssertVerifiesIntactAsync(IEvidenceStore store, int items)
    {
        var result = await new StoreVerifier(store).VerifyAsync();
        Assert.True(result.IsIntact, string.Join("\n", result.Findings.Select(f => f.ToString())));
        Assert.Equal(items, result.Checked.LedgerEntries);
    }

    [Fact]
    public async Task A_batch_holding_the_same_item_twice_stores_the_first_once_in_one_append_block()
    {
        // Given a batch in which one item id comes twice with different content
        var store = Store(AzuriteFixture.UniqueName("batch-dup"), "writer-1");
        var items = Documents("doc", 4);
        var again = TestItems.Document("doc-1", TestItems.Monday.AddMinutes(1), summary: "second copy");
        Assert.Equal(items[1].Id, again.Id);

        // When it is written
        var outcomes = await store.PutItemsAsync([items[0], items[1], again, items[2], items[3]]);

        // Then the first copy wins, the ledger holds one entry per item in batch order, appended as one block
        Assert.Equal(new[] { WriteOutcome.Created, WriteOutcome.Created, WriteOutcome.AlreadyExists, WriteOutcome.Created, WriteOutcome.Created }, outcomes);
        Assert.Equal("Policy approved", (await store.GetItemAsync(again.Id))!.Summary);
        var ledger = await ToListAsync(store.ReadLedgerAsync());
        Assert.Equal(items.Select(i => i.Id), ledger.Select(e => e.ItemId));
        LedgerChains.AssertValid(ledger);
        var part = await store.Container.GetBlobClient("ledger/writer-1/000000.jsonl").GetPropertiesAsync();
        Assert.Equal(1, part.Value.BlobCommittedBlockCount);
        Assert.Equal(items.Select(i => i.Id).Order(), (await store.ReadIndexAsync(EvidenceKinds.Document)).Entries.Select(e => e.ItemId).Order());
        await AssertVerifiesIntactAsync(store, 4);
    }

    [Fact]
    public async Task Batches_racing_on_two_writers_with_overlapping_items_leave_one_ledger_entry_per_item()
    {
        // Given two writers (two processes: two ledger segments) and batches that share half their items
        var container = AzuriteFixture.UniqueName("batch-race");
        var first = Store(container, "writer-a");
        var second = Store(container, "writer-b");
        var items = Documents("doc", 120);

        // When each writes its overlapping batches at the same time, several rounds
        var outcomes = await Task.WhenAll(
            Task.Run(async () =>
            {
                var all = new List<WriteOutcome>();
                for (var round = 0; round < 4; round++)
                {
                    all.AddRange(await first.PutItemsAsync(items.Skip(round * 30).Take(30).ToList()));
                }

                return all;
            }),
            Task.Run(async () =>
            {
                var all = new List<WriteOutcome>();
                for (var round = 0; round < 4; round++)
                {
                    all.AddRange(await second.PutItemsAsync(items.Skip((round * 30) + 15).Take(30).ToList()));
                }

                return all;
            }));

        // Then every item was created exactly once, and the ledger records each once in valid chains
        Assert.Equal(120, outcomes.SelectMany(o => o).Count(o => o == WriteOutcome.Created));
        var ledger = await ToListAsync(first.ReadLedgerAsync());
        LedgerChains.AssertValid(ledger);
        Assert.Equal(items.Select(i => i.Id).Order(), ledger.Select(e => e.ItemId).Order());
        Assert.Equal(120, (await first.ReadIndexAsync(EvidenceKinds.Document)).Count);
        await AssertVerifiesIntactAsync(first, 120);
    }

    [Fact]
    public async Task A_batch_that_crashed_after_its_item_blobs_is_completed_by_its_redelivery()
    {
        // Given a writer whose every Append Block is dropped on the way (the process dies after the item blobs and claims)
        var container = AzuriteFixture.UniqueName("batch-crash");
        var root = new Uri(azurite.BlobEndpoint.GetLeftPart(UriPartial.Authority) + "/");
        await using var proxy = await FaultInjectingProxy.StartAsync(root,
            (request, _) => request.Query["comp"].ToString() == "appendblock" ? Fault.AbortBeforeForwarding : Fault.None, TimeSpan.Zero);
        var options = StorageClientDefaults.BlobOptions();
        options.Retry.MaxRetries = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        var direct = Store(container, "writer-2", DeadWriterPatience);
        var crashing = new AzureBlobEvidenceStore(
            new BlobContainerClient(new Uri(proxy.BaseUri, $"{azurite.BlobEndpoint.AbsolutePath.Trim('/')}/{container}"), new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), options),
            direct.StateContainer, ((TablesEvidenceIndex)direct.Index).Table, new AzureBlobEvidenceStoreOptions { WriterId = "writer-1" });
        var items = Documents("doc", 40);

        // When its batch fails, and the redelivered job writes the same batch on another writer
        var failure = await Assert.ThrowsAsync<StoreFailureException>(() => crashing.PutItemsAsync(items));
        Assert.Equal(40, (await ToListAsync(direct.ListItemIdsAsync())).Count);
        Assert.Empty(await ToListAsync(direct.ReadLedgerAsync()));
        var redelivered = await direct.PutItemsAsync(items);

        // Then the store names itself in the failure, and the redelivery completed every ledger entry and index row once
        Assert.Contains(container, failure.Message, StringComparison.Ordinal);
        Assert.All(redelivered, o => Assert.Equal(WriteOutcome.AlreadyExists, o));
        var ledger = await ToListAsync(direct.ReadLedgerAsync());
        Assert.Equal(items.Select(i => i.Id), ledger.Select(e => e.ItemId));
        Assert.All(ledger, e => Assert.Equal("writer-2", e.Segment));
        Assert.Equal(40, (await direct.ReadIndexAsync(EvidenceKinds.Document)).Count);
        await AssertVerifiesIntactAsync(direct, 40);

        // And another redelivery changes nothing
        await direct.PutItemsAsync(items);
        Assert.Equal(40, (await ToListAsync(direct.ReadLedgerAsync())).Count);
    }

    [Fact]
    public async Task A_batch_of_new_items_costs_its_item_puts_plus_a_few_requests()
    {
        // Given a writer whose requests are counted on the way to Azurite (Blob traffic)
        var container = AzuriteFixture.UniqueName("batch-count");
        var root = new Uri(azurite.BlobEndpoint.GetLeftPart(UriPartial.Authority) + "/");
        await using var proxy = await FaultInjectingProxy.StartAsync(root, (_, _) => Fault.None, TimeSpan.Zero);
        var direct = Store(container, "writer-2");
        await direct.Container.CreateIfNotExistsAsync();
        var store = new AzureBlobEvidenceStore(
            new BlobContainerClient(new Uri(proxy.BaseUri, $"{azurite.BlobEndpoint.AbsolutePath.Trim('/')}/{container}"), new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), StorageClientDefaults.BlobOptions()),
            direct.StateContainer, ((TablesEvidenceIndex)direct.Index).Table, new AzureBlobEvidenceStoreOptions { WriterId = "writer-1" });
        await store.PutItemAsync(TestItems.Document("warm-up"));
        var before = proxy.Exchanges.Count;

        // When a batch of 50 new items is written
        await store.PutItemsAsync(Documents("doc", 50));

        // Then the evidence container saw 50 item puts and a single ledger append
        var exchanges = proxy.Exchanges.Skip(before).ToList();
        Assert.Equal(50, exchanges.Count(e => e.Path.Contains("/items/", StringComparison.Ordinal) && e.Method == "PUT"));
        Assert.Equal(1, exchanges.Count(e => e.Comp == "appendblock"));
        Assert.Equal(51, exchanges.Count);
    }
}
