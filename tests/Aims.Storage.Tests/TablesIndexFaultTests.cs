using Aims.Evidence;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Storage.Azure;
using Aims.Testing;
using Aims.Testing.Azurite;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;

namespace Aims.Storage.Tests;

/// <summary>
/// The Tables index behind a proxy that fails, drops and refuses requests on their way to Azurite's Table service
/// (the Blob traffic goes straight to Azurite): transient failures are retried to one ledger entry per item; a refused
/// credential or a closed port is a store failure naming the store, in one line.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TablesIndexFaultTests(AzuriteFixture azurite)
{
    private static TableClientOptions Impatient()
    {
        var options = StorageClientDefaults.TableOptions();
        options.Retry.MaxRetries = 3;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(5);
        return options;
    }

    private AzureBlobEvidenceStore StoreWithTables(string container, TableClient table, CapturingLoggerFactory? loggers = null, TimeSpan? claimPatience = null)
    {
        var blobs = new BlobServiceClient(azurite.ConnectionString, StorageClientDefaults.BlobOptions());
        return new AzureBlobEvidenceStore(blobs.GetBlobContainerClient(container), blobs.GetBlobContainerClient(container + "-state"), table, new AzureBlobEvidenceStoreOptions
        {
            WriterId = "tables-writer",
            Loggers = loggers,
            ClaimPatience = claimPatience ?? TimeSpan.FromMinutes(5),
        });
    }

    private TableClient TableThrough(Uri root, string container, TableSharedKeyCredential? credential = null) =>
        new(new Uri(root, azurite.TableEndpoint.AbsolutePath.Trim('/')), EvidenceStores.IndexTableName(container),
            credential ?? new TableSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), Impatient());

    private Uri TableRoot => new(azurite.TableEndpoint.GetLeftPart(UriPartial.Authority) + "/");

    private static bool IsTransaction(HttpRequest request) => request.Path.Value?.EndsWith("/$batch", StringComparison.Ordinal) == true;

    public static TheoryData<Fault> TransientFaults => new()
    {
        Fault.Fail500,
        Fault.Fail503AfterForwarding,
        Fault.AbortBeforeForwarding,
        Fault.AbortAfterForwarding,
    };

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_failed_index_transaction_is_retried_and_each_item_gets_one_ledger_entry(Fault fault)
    {
        // Given a proxy that disturbs the first Tables transaction of a batch (the subjects' latest rows)
        var container = AzuriteFixture.UniqueName("tables-fault");
        var disturbed = 0;
        await using var proxy = await FaultInjectingProxy.StartAsync(TableRoot,
            (request, _) => IsTransaction(request) && Interlocked.Exchange(ref disturbed, 1) == 0 ? fault : Fault.None, TimeSpan.Zero);
        var store = StoreWithTables(container, TableThrough(proxy.BaseUri, container));
        var items = Enumerable.Range(0, 12).Select(i => TestItems.Document($"doc-{i}", TestItems.Monday.AddMinutes(i))).ToList();

        // When a batch is written
        var outcomes = await store.PutItemsAsync(items);

        // Then the fault happened once, every item is created with one ledger entry and indexed
        Assert.Equal(1, proxy.Count(fault));
        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.Created, o));
        await AssertOneLedgerEntryEachAsync(container, items);
    }

    [Theory]
    [MemberData(nameof(TransientFaults))]
    public async Task A_failed_claim_transaction_over_a_dead_writers_items_is_retried_and_each_gets_one_ledger_entry(Fault fault)
    {
        // Given items whose writer died right after storing them (no ledger entry, no index row), and a redelivering
        // writer whose first Tables transaction (its claims on them) is disturbed
        var container = AzuriteFixture.UniqueName("tables-claim");
        var items = Enumerable.Range(0, 12).Select(i => TestItems.Document($"doc-{i}", TestItems.Monday.AddMinutes(i))).ToList();
        var blobs = new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(container);
        await blobs.CreateIfNotExistsAsync();
        foreach (var item in items)
        {
            await blobs.GetBlobClient(StoreLayout.ItemPath(item.Id)).UploadAsync(BinaryData.FromBytes(EvidenceItemJson.ToBytes(item)));
        }

        var disturbed = 0;
        await using var proxy = await FaultInjectingProxy.StartAsync(TableRoot,
            (request, _) => IsTransaction(request) && Interlocked.Exchange(ref disturbed, 1) == 0 ? fault : Fault.None, TimeSpan.Zero);
        var loggers = new CapturingLoggerFactory();
        var store = StoreWithTables(container, TableThrough(proxy.BaseUri, container), loggers, TimeSpan.FromMilliseconds(300));

        // When the job is redelivered, once the items are older than the claim patience
        var outcomes = await store.PutItemsAsync(items);

        // Then the fault happened once, the writer completed every item with one ledger entry and indexed it
        Assert.Equal(1, proxy.Count(fault));
        Assert.All(outcomes, o => Assert.Equal(WriteOutcome.AlreadyExists, o));
        await AssertOneLedgerEntryEachAsync(container, items);
        if (fault is Fault.Fail503AfterForwarding or Fault.AbortAfterForwarding)
        {
            // The retry found the claims its lost attempt had made, and knew them as its own instead of waiting for a phantom writer.
            Assert.Equal(1, loggers.Count(3106));
        }
    }

    private async Task AssertOneLedgerEntryEachAsync(string container, IReadOnlyList<EvidenceItem> items)
    {
        var auditor = EvidenceStores.OpenAzure(azurite.ConnectionString, container);
        var ledger = new List<LedgerEntry>();
        await foreach (var entry in auditor.ReadLedgerAsync())
        {
            ledger.Add(entry);
        }

        Assert.Equal(items.Select(i => i.Id), ledger.Select(e => e.ItemId));
        LedgerChains.AssertValid(ledger);
        Assert.Equal(items.Count, (await auditor.ReadIndexAsync(EvidenceKinds.Document)).Count);
        foreach (var item in items)
        {
            Assert.True(await auditor.Index.ContainsItemAsync(item.Id));
        }
    }

    [Fact]
    public async Task A_batch_over_subjects_already_indexed_reads_their_rows_fourteen_to_a_request_and_the_newest_wins()
    {
        // Given 100 subjects indexed on Monday, and a store whose Table traffic is counted
        var container = AzuriteFixture.UniqueName("tables-reads");
        await using var proxy = await FaultInjectingProxy.StartAsync(TableRoot, (_, _) => Fault.None, TimeSpan.Zero);
        var store = StoreWithTables(container, TableThrough(proxy.BaseUri, container));
        await store.PutItemsAsync(Enumerable.Range(0, 100).Select(i => TestItems.Document($"doc-{i}", TestItems.Monday)).ToList());
        var before = proxy.Exchanges.Count;

        // When Tuesday's observations of the same subjects (and one new subject) are written in one batch
        var tuesday = Enumerable.Range(0, 101).Select(i => TestItems.Document($"doc-{i}", TestItems.Monday.AddDays(1), runId: "run-2")).ToList();
        await store.PutItemsAsync(tuesday);

        // Then the subjects' stored rows were read by 8 queries (14 row keys each), with no point read per subject; the
        // writes took 2 transactions of latest rows and at most 16 of `ledgered` states (no claims: this writer created
        // every item); and every subject's latest entry is Tuesday's
        var exchanges = proxy.Exchanges.Skip(before).ToList();
        var reads = exchanges.Where(e => e.Method == "GET").ToList();
        Assert.Equal(8, reads.Count);
        Assert.All(reads, e => Assert.EndsWith("()", e.Path, StringComparison.Ordinal));
        Assert.InRange(exchanges.Count(e => e.Path.EndsWith("/$batch", StringComparison.Ordinal)), 3, 2 + 16);
        var index = await EvidenceStores.OpenAzure(azurite.ConnectionString, container).ReadIndexAsync(EvidenceKinds.Document);
        Assert.Equal(tuesday.Select(i => i.Id).Order(), index.Entries.Select(e => e.ItemId).Order());
    }

    [Fact]
    public async Task A_503_on_a_single_entity_request_is_retried_until_the_service_answers()
    {
        // Given a proxy that answers the first two point reads with 503 Server Busy after they reached the service
        var container = AzuriteFixture.UniqueName("tables-503");
        var reads = 0;
        await using var proxy = await FaultInjectingProxy.StartAsync(TableRoot,
            (request, _) => HttpMethods.IsGet(request.Method) && Interlocked.Increment(ref reads) <= 2 ? Fault.Fail503AfterForwarding : Fault.None, TimeSpan.Zero);
        var store = StoreWithTables(container, TableThrough(proxy.BaseUri, container));
        var item = TestItems.Document("ai-policy");

        // When an item is written and written again (the redelivery's lookup is a point read)
        await store.PutItemAsync(item);
        var again = await store.PutItemAsync(item);

        // Then both 503s were retried, and the item is in the ledger once
        Assert.Equal(2, proxy.Count(Fault.Fail503AfterForwarding));
        Assert.Equal(WriteOutcome.AlreadyExists, again);
        Assert.True(await store.Index.ContainsItemAsync(item.Id));
    }

    [Fact]
    public async Task A_refused_table_credential_is_a_store_failure_naming_the_store_in_one_line()
    {
        // Given a store whose Table service refuses the key (403)
        var container = AzuriteFixture.UniqueName("tables-403");
        var wrongKey = new TableSharedKeyCredential(AzuriteFixture.AccountName, Convert.ToBase64String(new byte[64]));
        var store = StoreWithTables(container, TableThrough(TableRoot, container, wrongKey));

        // When a batch is written
        var failure = await Assert.ThrowsAsync<StoreFailureException>(() => store.PutItemsAsync([TestItems.Document("ai-policy")]));

        // Then the failure names the store, in one line, without the key
        Assert.Contains(container, failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', failure.Message);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_closed_table_port_is_a_store_failure_naming_the_store_in_one_line()
    {
        // Given a store whose Table endpoint is a closed port on 127.0.0.1
        var port = LocalPorts.Closed();
        var container = AzuriteFixture.UniqueName("tables-closed");
        var store = StoreWithTables(container, TableThrough(new Uri($"http://127.0.0.1:{port}/"), container));

        // When an item is written, and the index is read
        var write = await Assert.ThrowsAsync<StoreFailureException>(() => store.PutItemAsync(TestItems.Document("ai-policy")));

        // Then the write is a store failure naming the store in one line
        Assert.Contains(container, write.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', write.Message);
    }
}
