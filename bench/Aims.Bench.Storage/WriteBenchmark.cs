using System.Diagnostics;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Storage;
using Aims.Storage.Azure;
using Azure.Storage.Blobs;

namespace Aims.Bench.Storage;

/// <summary>
/// Items written per second into Azurite, against Azurite's raw Put Blob rate for blobs of the same size at the same
/// parallelism, all in one process run: one item at a time (<c>PutItemAsync</c>) and batched as a pipeline job writes
/// them (<c>PutItemsAsync</c>, batches of <see cref="EvidenceRecorder.JobBatchSize"/>).
/// </summary>
internal static class WriteBenchmark
{
    /// <summary>How many item puts a batch has in flight (the store's internal bound).</summary>
    private const int AzureBatchConcurrency = 8;

    public static async Task RunAsync(AzuriteProcess azurite, string scratch, int[] jobCounts, int items, TextWriter output)
    {
        var itemBytes = EvidenceItemJson.ToBytes(BenchItems.Item(0, 0)).Length;
        output.WriteLine($"Each item is {itemBytes} bytes of canonical JSON; {items} items per cell, split evenly over the jobs; 400 subjects over {BenchItems.Kinds.Length} kinds; a store object (ledger segment) per job; batches of up to {EvidenceRecorder.JobBatchSize}. Cells run in the order of the columns, one after another.");
        output.WriteLine();
        output.WriteLine($"A batch puts its item blobs {AzureBatchConcurrency} at a time, so the last reference column is raw Put Blob at that many requests in flight per job.");
        output.WriteLine();
        output.WriteLine("| parallel jobs | Azurite raw Put Blob, same size | Azurite, batched (`PutItemsAsync`) | ratio to raw | Azurite, one item at a time (`PutItemAsync`) | ratio to raw | folder store, batched | raw Put Blob at the batch's concurrency | batched ratio to it | load average |");
        output.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var jobs in jobCounts)
        {
            var raw = await RawPutsPerSecondAsync(azurite, jobs, items, itemBytes);
            var batchedStores = Enumerable.Range(0, jobs).Select(job => Azure(azurite, $"batched-{jobs}", $"bench-{job}")).ToArray();
            var batched = await ItemsPerSecondAsync(jobs, items, $"b{jobs}", job => batchedStores[job], batch: true);
            var singleStores = Enumerable.Range(0, jobs).Select(job => Azure(azurite, $"single-{jobs}", $"bench-{job}")).ToArray();
            var single = await ItemsPerSecondAsync(jobs, items, $"s{jobs}", job => singleStores[job], batch: false);
            var folderRoot = Path.Combine(scratch, $"folder-{jobs}");
            var folderStore = new FolderEvidenceStore(folderRoot);
            var folder = await ItemsPerSecondAsync(jobs, items, $"f{jobs}", _ => folderStore, batch: true);
            var rawWide = await RawPutsPerSecondAsync(azurite, jobs * AzureBatchConcurrency, items, itemBytes);
            output.WriteLine($"| {jobs} | {raw:0} puts/s | {batched:0} items/s | {batched / raw:0.00}× | {single:0} items/s | {single / raw:0.00}× | {folder:0} items/s | {rawWide:0} puts/s | {batched / rawWide:0.00}× | {BenchSettings.LoadAverage()} |");
            Directory.Delete(folderRoot, recursive: true);
        }
    }

    private static AzureBlobEvidenceStore Azure(AzuriteProcess azurite, string container, string writer) =>
        EvidenceStores.OpenAzure(azurite.ConnectionString, container, new AzureBlobEvidenceStoreOptions { WriterId = writer });

    /// <summary>Each job writes its share of the items, in batches or one after another, as a collection job does.</summary>
    private static async Task<double> ItemsPerSecondAsync(int jobs, int items, string runPrefix, Func<int, EvidenceStoreBase> storeFor, bool batch)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, jobs).Select(job => Task.Run(async () =>
        {
            var store = storeFor(job);
            var mine = new List<EvidenceItem>();
            for (var i = job; i < items; i += jobs)
            {
                mine.Add(BenchItems.Item(i % 400, i / 400, runPrefix));
            }

            if (batch)
            {
                foreach (var chunk in mine.Chunk(EvidenceRecorder.JobBatchSize))
                {
                    await store.PutItemsAsync(chunk);
                }
            }
            else
            {
                foreach (var item in mine)
                {
                    await store.PutItemAsync(item);
                }
            }
        })));
        return items / watch.Elapsed.TotalSeconds;
    }

    private static async Task<double> RawPutsPerSecondAsync(AzuriteProcess azurite, int jobs, int puts, int size)
    {
        var client = new BlobContainerClient(azurite.ConnectionString, $"rawputs-{jobs}", StorageClientDefaults.BlobOptions());
        await client.CreateIfNotExistsAsync();
        var payload = new byte[size];
        var watch = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, puts), new ParallelOptions { MaxDegreeOfParallelism = jobs }, async (i, ct) =>
            await client.GetBlobClient($"raw/{i:D6}").UploadAsync(BinaryData.FromBytes(payload), cancellationToken: ct));
        return puts / watch.Elapsed.TotalSeconds;
    }
}
