using System.Diagnostics;
using Aims.Evidence.Items;
using Aims.Storage;
using Aims.Storage.Azure;
using Azure.Storage.Blobs;

namespace Aims.Bench.Storage;

/// <summary>Items written per second through <c>PutItemAsync</c> (item, ledger, index), against raw Put Blob.</summary>
internal static class WriteBenchmark
{
    public static async Task RunAsync(AzuriteProcess azurite, string scratch, int[] jobCounts, int items, TextWriter output)
    {
        var itemBytes = EvidenceItemJson.ToBytes(BenchItems.Item(0, 0)).Length;
        output.WriteLine($"Each item is {itemBytes} bytes of canonical JSON; {items} items per cell; 400 subjects over {BenchItems.Kinds.Length} kinds (so {BenchItems.Kinds.Length} index blobs take every update).");
        output.WriteLine();
        output.WriteLine("| parallel jobs | Azurite, one store (one ledger segment) | Azurite, a store per job (a segment each) | folder store | Azurite raw Put Blob, same size |");
        output.WriteLine("| ---: | ---: | ---: | ---: | ---: |");
        foreach (var jobs in jobCounts)
        {
            var one = Azure(azurite, $"shared-{jobs}", "bench");
            var shared = await ItemsPerSecondAsync(jobs, items, _ => one);
            var perJob = Enumerable.Range(0, jobs).Select(job => Azure(azurite, $"perjob-{jobs}", $"bench-{job}")).ToArray();
            var separate = await ItemsPerSecondAsync(jobs, items, job => perJob[job]);
            var folderRoot = Path.Combine(scratch, $"folder-{jobs}");
            var folderStore = new FolderEvidenceStore(folderRoot);
            var folder = await ItemsPerSecondAsync(jobs, items, _ => folderStore);
            var raw = await RawPutsPerSecondAsync(azurite, jobs, items, itemBytes);
            output.WriteLine($"| {jobs} | {shared:0} items/s | {separate:0} items/s | {folder:0} items/s | {raw:0} puts/s |");
            Directory.Delete(folderRoot, recursive: true);
        }
    }

    private static AzureBlobEvidenceStore Azure(AzuriteProcess azurite, string container, string writer) =>
        EvidenceStores.OpenAzure(azurite.ConnectionString, container, new AzureBlobEvidenceStoreOptions { WriterId = writer });

    /// <summary>Each job writes its share of the items one after another, as a collection job does.</summary>
    private static async Task<double> ItemsPerSecondAsync(int jobs, int items, Func<int, EvidenceStoreBase> storeFor)
    {
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, jobs).Select(job => Task.Run(async () =>
        {
            var store = storeFor(job);
            for (var i = job; i < items; i += jobs)
            {
                await store.PutItemAsync(BenchItems.Item(i % 400, i / 400, runPrefix: $"w{jobs}"));
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
