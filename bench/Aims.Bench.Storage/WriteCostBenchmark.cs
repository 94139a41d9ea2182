using System.Diagnostics;
using Aims.Evidence.Store;
using Aims.Storage;

namespace Aims.Bench.Storage;

/// <summary>
/// What one more item costs when a kind already has N subjects, on the folder store: the store's write (item file,
/// ledger line, SQLite index row) side by side, in the same run, with the reference the index replaced — reading,
/// merging and rewriting the kind's whole JSON index per item (<see cref="EvidenceIndex"/>, as the store did before).
/// </summary>
internal static class WriteCostBenchmark
{
    private const int Probe = 200;

    public static async Task RunAsync(string scratch, int[] subjectCounts, TextWriter output)
    {
        output.WriteLine($"Per item, median over {Probe} writes of new observations into one kind that already holds N subjects (folder store).");
        output.WriteLine();
        output.WriteLine("| subjects already indexed | store write (item + ledger + SQLite index) | reference: rewrite the kind's JSON index per item |");
        output.WriteLine("| ---: | ---: | ---: |");
        foreach (var subjects in subjectCounts)
        {
            var root = Path.Combine(scratch, $"write-cost-{subjects}");
            var store = new FolderEvidenceStore(root);

            // Seed N subjects of one kind (every BenchItems.Kinds.Length-th subject is a document).
            var reference = new EvidenceIndex("document");
            var seeded = new List<IndexedObservation>(subjects);
            for (var s = 0; s < subjects; s++)
            {
                var item = BenchItems.Item(s * BenchItems.Kinds.Length, 0);
                seeded.Add(IndexedObservation.For(item));
                reference.Merge(IndexEntry.For(item));
            }

            await store.Index.RecordAsync(seeded);
            var referenceBytes = reference.ToBytes();

            var storeTimes = new List<double>(Probe);
            var referenceTimes = new List<double>(Probe);
            for (var i = 0; i < Probe; i++)
            {
                var item = BenchItems.Item(i * BenchItems.Kinds.Length, 1);
                var watch = Stopwatch.StartNew();
                await store.PutItemAsync(item);
                storeTimes.Add(watch.Elapsed.TotalMilliseconds);

                watch.Restart();
                var index = EvidenceIndex.Parse("document", referenceBytes);
                index.Merge(IndexEntry.For(item));
                referenceBytes = index.ToBytes();
                var temp = Path.Combine(root, "reference-index.json.tmp");
                await File.WriteAllBytesAsync(temp, referenceBytes);
                File.Move(temp, Path.Combine(root, "reference-index.json"), overwrite: true);
                referenceTimes.Add(watch.Elapsed.TotalMilliseconds);
            }

            output.WriteLine($"| {subjects:N0} | {Median(storeTimes):0.00} ms | {Median(referenceTimes):0.00} ms |");
            Directory.Delete(root, recursive: true);
        }
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
