using System.Diagnostics;
using System.Text;
using Aims.Evidence.Store;
using Aims.Storage;
using Aims.Storage.Azure;
using Azure.Storage.Blobs.Specialized;

namespace Aims.Bench.Storage;

/// <summary>
/// A redelivered 90-item job whose items are all stored, on stores whose ledger already holds N entries, and the
/// ledger heads read at checkpoint time after every job — side by side with the reference they replaced (the heads
/// from a scan of the whole ledger), at N = 1,000 and 100,000, in one run.
/// </summary>
internal static class RedeliveryBenchmark
{
    private const int JobItems = 90;

    public static async Task RunAsync(AzuriteProcess azurite, string scratch, int[] ledgerSizes, TextWriter output)
    {
        output.WriteLine($"Per item of a redelivered {JobItems}-item job (all items stored and indexed), written again by a new writer as the pipeline does (one batch), median of 5; heads: median of 5. The ledger's other entries are a chain written straight into a seed segment (the measured paths never read their items).");
        output.WriteLine();
        output.WriteLine("| store | ledger entries | redelivered job, per item | ledger heads (end of each part) | reference: heads by a full ledger scan | load average |");
        output.WriteLine("| --- | ---: | ---: | ---: | ---: | --- |");
        foreach (var size in ledgerSizes)
        {
            var container = $"redelivery-{size}";
            var azure = EvidenceStores.OpenAzure(azurite.ConnectionString, container, new AzureBlobEvidenceStoreOptions { WriterId = "first" });
            await azure.Container.CreateIfNotExistsAsync();
            await SeedAzureAsync(azure, size - JobItems);
            await MeasureAsync("Azurite", size, azure, () => EvidenceStores.OpenAzure(azurite.ConnectionString, container, new AzureBlobEvidenceStoreOptions { WriterId = $"redelivered-{Guid.NewGuid():N}" }), output);

            var root = Path.Combine(scratch, $"redelivery-{size}");
            Directory.CreateDirectory(Path.Combine(root, "ledger"));
            await File.WriteAllBytesAsync(Path.Combine(root, "ledger", "local.jsonl"), Chain("local", size - JobItems).SelectMany(b => b).ToArray());
            var folder = new FolderEvidenceStore(root);
            await MeasureAsync("folder", size, folder, () => new FolderEvidenceStore(root), output);
            Directory.Delete(root, recursive: true);
        }
    }

    private static async Task MeasureAsync(string name, int size, EvidenceStoreBase first, Func<EvidenceStoreBase> redeliveryWriter, TextWriter output)
    {
        var job = Enumerable.Range(0, JobItems).Select(i => BenchItems.Item(i, 0, "redelivered")).ToList();
        await first.PutItemsAsync(job);
        var ledgerCount = 0;
        await foreach (var _ in first.ReadLedgerAsync())
        {
            ledgerCount++;
        }

        if (ledgerCount != size)
        {
            throw new InvalidOperationException($"{name}: the ledger holds {ledgerCount} entries, expected {size}.");
        }

        var perItem = new List<double>();
        var heads = new List<double>();
        var scans = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            var writer = redeliveryWriter();
            var watch = Stopwatch.StartNew();
            var outcomes = await writer.PutItemsAsync(job);
            perItem.Add(watch.Elapsed.TotalMilliseconds / JobItems);
            if (outcomes.Any(o => o != WriteOutcome.AlreadyExists))
            {
                throw new InvalidOperationException($"{name}: a redelivered item was written again.");
            }

            watch.Restart();
            var read = await writer.ReadLedgerHeadsAsync();
            heads.Add(watch.Elapsed.TotalMilliseconds);
            watch.Restart();
            var scanned = await HeadsByScanAsync(writer);
            scans.Add(watch.Elapsed.TotalMilliseconds);
            if (!read.SequenceEqual(scanned))
            {
                throw new InvalidOperationException($"{name}: the heads read from the parts' ends differ from the full scan's.");
            }
        }

        output.WriteLine($"| {name} | {size:N0} | {Median(perItem):0.00} ms | {Median(heads):0.0} ms | {Median(scans):0} ms | {BenchSettings.LoadAverage()} |");
    }

    /// <summary>The heads as the store found them before: every entry read, the last one per segment kept.</summary>
    private static async Task<List<LedgerHead>> HeadsByScanAsync(EvidenceStoreBase store)
    {
        var heads = new Dictionary<string, LedgerHead>(StringComparer.Ordinal);
        await foreach (var entry in store.ReadLedgerAsync())
        {
            heads[entry.Segment] = new LedgerHead(entry.Segment, entry.Sequence, entry.Hash, entry.RecordedAt);
        }

        return heads.Values.OrderBy(h => h.Segment, StringComparer.Ordinal).ToList();
    }

    /// <summary>A seed segment of <paramref name="entries"/> chained entries in Append Blocks of up to 4 MiB.</summary>
    private static async Task SeedAzureAsync(AzureBlobEvidenceStore store, int entries)
    {
        var part = store.Container.GetAppendBlobClient("ledger/seed/000000.jsonl");
        await part.CreateIfNotExistsAsync();
        foreach (var block in Chain("seed", entries))
        {
            await part.AppendBlockAsync(new MemoryStream(block));
        }
    }

    private static IEnumerable<byte[]> Chain(string segment, int entries)
    {
        var previous = LedgerEntry.GenesisHash;
        var block = new MemoryStream();
        for (var i = 0; i < entries; i++)
        {
            var entry = LedgerEntry.Create(BenchItems.Item(i % 400, i / 400, "seed"), segment, i + 1, previous, BenchItems.Start);
            previous = entry.Hash;
            var line = Encoding.UTF8.GetBytes(entry.ToLine() + "\n");
            if (block.Length + line.Length > 4 * 1024 * 1024)
            {
                yield return block.ToArray();
                block = new MemoryStream();
            }

            block.Write(line);
        }

        if (block.Length > 0)
        {
            yield return block.ToArray();
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
