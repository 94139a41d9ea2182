using System.Security.Cryptography;
using Aims.Evidence;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Storage.Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Aims.Testing.Azurite;
using Microsoft.AspNetCore.Http;

namespace Aims.Storage.Tests;

/// <summary>
/// The Blob store behind a proxy that fails, delays and drops requests on their way to Azurite. Whatever the
/// network does, every item must end up stored exactly once, with one ledger entry and a correct index.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobStoreFaultTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan PerTryTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan HoldFor = TimeSpan.FromMilliseconds(1300);

    private static BlobClientOptions ImpatientOptions()
    {
        var options = StorageClientDefaults.BlobOptions();
        options.Retry.MaxRetries = 12;
        options.Retry.Delay = TimeSpan.FromMilliseconds(10);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(100);
        options.Retry.NetworkTimeout = PerTryTimeout;
        return options;
    }

    private AzureBlobEvidenceStore StoreThrough(FaultInjectingProxy proxy, string container, string writer, CapturingLoggerFactory? loggers = null)
    {
        var account = azurite.BlobEndpoint.AbsolutePath.Trim('/');
        var client = new BlobContainerClient(new Uri(proxy.BaseUri, $"{account}/{container}"), new StorageSharedKeyCredential(AzuriteFixture.AccountName, AzuriteFixture.AccountKey), ImpatientOptions());
        var direct = EvidenceStores.OpenAzure(azurite.ConnectionString, container);
        return new AzureBlobEvidenceStore(client, direct.StateContainer, ((TablesEvidenceIndex)direct.Index).Table, new AzureBlobEvidenceStoreOptions
        {
            WriterId = writer,
            Loggers = loggers,
            TransferOptions = new StorageTransferOptions { InitialTransferSize = 64 * 1024, MaximumTransferSize = 64 * 1024 },
        });
    }

    private AzureBlobEvidenceStore DirectStore(string container) =>
        EvidenceStores.OpenAzure(azurite.ConnectionString, container, new AzureBlobEvidenceStoreOptions { WriterId = "auditor" });

    private Uri AzuriteRoot => new(azurite.BlobEndpoint.GetLeftPart(UriPartial.Authority) + "/");

    [Fact]
    public async Task Under_random_failures_delays_and_dropped_connections_every_item_is_stored_exactly_once()
    {
        // Given four writers reaching Azurite through a proxy that faults 30% of requests
        var container = AzuriteFixture.UniqueName("faults");
        await using var proxy = await FaultInjectingProxy.StartAsync(AzuriteRoot, FaultInjectingProxy.RandomFaults(seed: 20261123, share: 0.3), HoldFor);
        var writers = Enumerable.Range(0, 4).Select(w => StoreThrough(proxy, container, $"faulty-{w}")).ToList();
        var items = new List<EvidenceItem>[writers.Count];
        var raws = new List<(string Sha, byte[] Bytes)>[writers.Count];

        // When each writes raw payloads (one spanning several blocks) and items, and every job is then
        // redelivered to the next writer
        await Task.WhenAll(writers.Select((store, w) => Task.Run(async () =>
        {
            items[w] = [];
            raws[w] = [];
            foreach (var size in new[] { 300, 200_000 })
            {
                var bytes = new byte[size];
                new Random((w * 10) + size).NextBytes(bytes);
                var raw = await store.PutRawAsync(new MemoryStream(bytes));
                raws[w].Add((raw.Sha256, bytes));
            }

            for (var i = 0; i < 8; i++)
            {
                var item = TestItems.Document($"w{w}-doc{i % 5}", TestItems.Monday.AddHours(i), runId: $"run-{i}", jobId: $"job-{w}", rawSha256: raws[w][i % 2].Sha);
                await store.PutItemAsync(item);
                items[w].Add(item);
            }
        })));
        await Task.WhenAll(writers.Select((_, w) => Task.Run(async () =>
        {
            var next = writers[(w + 1) % writers.Count];
            foreach (var item in items[w])
            {
                Assert.Equal(WriteOutcome.AlreadyExists, await next.PutItemAsync(item));
            }
        })));

        // Then, read directly from Azurite: every item once and intact, one ledger entry each in valid chains,
        // the index pointing at each subject's newest item, and the raw payloads intact
        Assert.True(proxy.Faults > 20, $"Only {proxy.Faults} faults were injected.");
        Assert.All(Enum.GetValues<Fault>(), f => Assert.True(proxy.Count(f) > 0, $"No {f} was injected."));
        var auditor = DirectStore(container);
        var all = items.SelectMany(i => i).ToList();
        var stored = new List<string>();
        await foreach (var id in auditor.ListItemIdsAsync())
        {
            stored.Add(id);
        }

        Assert.Equal(all.Select(i => i.Id).Order(), stored.Order());
        foreach (var item in all)
        {
            Assert.Equal(item.Sha256, (await auditor.GetItemAsync(item.Id))!.Sha256);
        }

        var ledger = new List<LedgerEntry>();
        await foreach (var entry in auditor.ReadLedgerAsync())
        {
            ledger.Add(entry);
        }

        LedgerChains.AssertValid(ledger);
        Assert.All(ledger.GroupBy(e => e.ItemId), g => Assert.Single(g));
        Assert.Equal(all.Count, ledger.Count);

        var index = await auditor.ReadIndexAsync(EvidenceKinds.Document);
        var newest = all.GroupBy(i => i.Subject.Key).ToDictionary(g => g.Key, g => g.MaxBy(i => i.ObservedAt)!.Id);
        Assert.Equal(newest.Count, index.Count);
        Assert.All(index.Entries, e => Assert.Equal(newest[e.SubjectKey], e.ItemId));

        foreach (var (sha, bytes) in raws.SelectMany(r => r))
        {
            await using var stream = await auditor.OpenRawAsync(sha);
            Assert.Equal(sha, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream!)));
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha);
        }
    }

    public static TheoryData<string, Fault> LandedUnseen => new()
    {
        { "item", Fault.Fail503AfterForwarding },
        { "item", Fault.AbortAfterForwarding },
        { "item", Fault.DelayBeforeForwarding },
        { "ledger", Fault.Fail503AfterForwarding },
        { "ledger", Fault.AbortAfterForwarding },
        { "ledger", Fault.DelayAfterForwarding },
        { "ledger", Fault.DelayBeforeForwarding },
        { "raw", Fault.Fail503AfterForwarding },
        { "raw", Fault.AbortAfterForwarding },
    };

    [Theory]
    [MemberData(nameof(LandedUnseen))]
    public async Task A_write_whose_answer_is_lost_is_completed_exactly_once(string target, Fault fault)
    {
        // Given a proxy that disturbs the first write of one kind (item put, ledger append, raw commit)
        static bool Targets(HttpRequest request, string target)
        {
            var path = request.Path.Value ?? "";
            var comp = request.Query["comp"].ToString();
            return HttpMethods.IsPut(request.Method) && target switch
            {
                "item" => path.Contains("/items/", StringComparison.Ordinal),
                "ledger" => comp == "appendblock",
                "raw" => comp == "blocklist",
                _ => false,
            };
        }

        var disturbed = 0;
        var container = AzuriteFixture.UniqueName("landed");
        await using var proxy = await FaultInjectingProxy.StartAsync(AzuriteRoot,
            (request, _) => Targets(request, target) && Interlocked.Exchange(ref disturbed, 1) == 0 ? fault : Fault.None, HoldFor);
        var loggers = new CapturingLoggerFactory();
        var store = StoreThrough(proxy, container, "writer", loggers);
        var payload = new byte[150_000];
        new Random(3).NextBytes(payload);

        // When a raw payload and an item are written
        var raw = await store.PutRawAsync(new MemoryStream(payload));
        var item = TestItems.Document("ai-policy", rawSha256: raw.Sha256);
        await store.PutItemAsync(item);

        // Then the fault happened, and the store holds one item, one ledger entry, the index entry and the payload
        Assert.Equal(1, proxy.Count(fault));
        var auditor = DirectStore(container);
        Assert.Equal(item.Sha256, (await auditor.GetItemAsync(item.Id))!.Sha256);
        var ledger = new List<LedgerEntry>();
        await foreach (var entry in auditor.ReadLedgerAsync())
        {
            ledger.Add(entry);
        }

        Assert.Equal(item.Id, Assert.Single(ledger).ItemId);
        LedgerChains.AssertValid(ledger);
        Assert.Equal(item.Id, (await auditor.ReadIndexAsync(EvidenceKinds.Document)).Entries.Single().ItemId);
        await using (var stream = await auditor.OpenRawAsync(raw.Sha256))
        {
            Assert.Equal(raw.Sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(stream!)));
        }

        if (target == "ledger" && fault != Fault.DelayBeforeForwarding)
        {
            // The append's retry found its own line already in place and did not write it again.
            Assert.Equal(1, loggers.Count(3103));
        }
    }
}
