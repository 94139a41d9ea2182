using System.Collections.Concurrent;
using System.Diagnostics;
using Aims.Evidence.Checks;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;
using Aims.Storage;
using Aims.Storage.Azure;
using Azure.Storage.Blobs;

namespace Aims.Bench.Storage;

/// <summary>
/// Gap analysis from the index (<see cref="GapAnalyzer"/>: reads the indexes and each subject's latest item)
/// against a full scan (list every item and read it to find each subject's latest), as the history grows.
/// </summary>
internal static class GapBenchmark
{
    public static async Task RunAsync(AzuriteProcess azurite, string scratch, int subjects, int[] azuriteSizes, int[] folderSizes, bool scanAzurite, TextWriter output)
    {
        output.WriteLine($"{subjects} subjects over {BenchItems.Kinds.Length} kinds; the history grows (items = subjects × runs), the index does not.");
        output.WriteLine("Seeded by writing the store layout directly (items in parallel, then the index rows; no ledger, which analysis does not read).");
        output.WriteLine();
        output.WriteLine("| store | items | subjects | seeding | gap analysis from the index | reference: read + parse + hash every latest item | full listing scan (list + read every item) | listing names only |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
        foreach (var size in azuriteSizes)
        {
            var container = new BlobContainerClient(azurite.ConnectionString, $"gaps-{size}", StorageClientDefaults.BlobOptions());
            await container.CreateIfNotExistsAsync();
            AzureBlobEvidenceStore Open() => EvidenceStores.OpenAzure(azurite.ConnectionString, $"gaps-{size}");
            // Seeding overwrites: under load the SDK may retry an upload that already succeeded, and a 409 would end the run.
            var seeding = await SeedAsync(size, subjects, Open(), (path, bytes, ct) => container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(bytes), overwrite: true, ct));
            await MeasureAsync("Azurite (Tables index)", size, subjects, seeding, Open, scanAzurite, output);
            await container.DeleteIfExistsAsync();
        }

        foreach (var size in folderSizes)
        {
            var root = Path.Combine(scratch, $"gaps-{size}");
            var seeding = await SeedAsync(size, subjects, new FolderEvidenceStore(root), async (path, bytes, ct) =>
            {
                var full = Path.Combine(root, path);
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                await File.WriteAllBytesAsync(full, bytes.ToArray(), ct);
            });
            await MeasureAsync("folder", size, subjects, seeding, () => new FolderEvidenceStore(root), true, output);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task<TimeSpan> SeedAsync(int size, int subjects, EvidenceStoreBase store, Func<string, ReadOnlyMemory<byte>, CancellationToken, Task> write)
    {
        var watch = Stopwatch.StartNew();
        var observations = new ConcurrentBag<IndexedObservation>();
        await Parallel.ForEachAsync(Enumerable.Range(0, size), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (n, ct) =>
        {
            var item = BenchItems.Item(n % subjects, n / subjects);
            await write(StoreLayout.ItemPath(item.Id), EvidenceItemJson.ToBytes(item), ct);
            observations.Add(IndexedObservation.For(item));
        });
        foreach (var batch in observations.Chunk(1000))
        {
            await store.Index.RecordAsync(batch);
        }

        return watch.Elapsed;
    }

    private static async Task MeasureAsync(string name, int size, int subjects, TimeSpan seeding, Func<EvidenceStoreBase> open, bool scan, TextWriter output)
    {
        var asOf = BenchItems.Start.AddDays((size / subjects) + 30);
        var analyzer = new GapAnalyzer(open(), RequirementSet.LoadDefaults(), CheckRegistry.Default);
        var watch = Stopwatch.StartNew();
        var report = await analyzer.AnalyzeAsync(new GapAnalysisOptions("Contoso", asOf, AuditCalendar.Empty, []));
        var fromIndex = watch.Elapsed;

        watch.Restart();
        var floorItems = await GapScaleBenchmark.ReadEveryLatestItemAsync(open());
        var floor = watch.Elapsed;
        if (!scan)
        {
            output.WriteLine($"| {name} | {size:N0} | {floorItems:N0} | {Seconds(seeding)} | {Seconds(fromIndex)} | {Seconds(floor)} | not run | not run |");
            return;
        }

        var store = open();
        watch.Restart();
        var latest = new ConcurrentDictionary<string, EvidenceItem>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(store.ListItemIdsAsync(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (id, ct) =>
        {
            var item = (await store.GetItemAsync(id, ct))!;
            latest.AddOrUpdate($"{item.IndexKind}|{item.Subject.Key}", item, (_, current) => item.ObservedAt > current.ObservedAt ? item : current);
        });
        var scanned = watch.Elapsed;

        watch.Restart();
        var names = 0;
        await foreach (var unused in open().ListItemIdsAsync())
        {
            names++;
        }

        var listing = watch.Elapsed;
        if (names != size || report.Requirements.Count == 0)
        {
            throw new InvalidOperationException($"{name}: listed {names} of {size} items; {report.Requirements.Count} requirements analysed.");
        }

        output.WriteLine($"| {name} | {size:N0} | {latest.Count:N0} | {Seconds(seeding)} | {Seconds(fromIndex)} | {Seconds(floor)} | {Seconds(scanned)} | {Seconds(listing)} |");
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds < 10 ? $"{t.TotalSeconds:0.00} s" : $"{t.TotalSeconds:0} s";
}
