using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Aims.Evidence.Checks;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;
using Aims.Reporting.Digest;
using Aims.Storage;

namespace Aims.Bench.Storage;

/// <summary>
/// Gap analysis at a million items on the folder store, over few and over many subjects. Seeding (writing the layout
/// and the SQLite index directly) runs here; every measurement runs in a fresh child process of this program, so its
/// peak RSS is the analysis's own and not the seeding's. Side by side, in the same run and on the same store, the
/// reference is the floor any analysis pays: read every subject's latest item once, parse it and hash its bytes.
/// </summary>
internal static class GapScaleBenchmark
{
    public const string ChildFlag = "--gap-child";

    public static async Task RunAsync(string scratch, int items, int[] subjectCounts, int repeats, bool keep, TextWriter output)
    {
        output.WriteLine($"{items:N0} items over {BenchItems.Kinds.Length} kinds, default requirements; median of {repeats} analyses per child process.");
        output.WriteLine("Each cell runs in its own child process (peak RSS = that process's VmHWM, runtime included).");
        output.WriteLine();
        output.WriteLine("| items | subjects (latest items read) | seeding | gap analysis, median (min–max) | its peak RSS | + JSON digest to a null stream, median | its peak RSS | reference: read + parse + hash every latest item, median | its peak RSS | analysis ÷ reference | load average |");
        output.WriteLine("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var subjects in subjectCounts)
        {
            var root = Path.Combine(scratch, $"gap-scale-{items}-{subjects}");
            var marker = Path.Combine(root, "state", "bench-seeded");
            var seeding = "reused";
            if (!File.Exists(marker))
            {
                var watch = Stopwatch.StartNew();
                await SeedAsync(root, items, subjects);
                await File.WriteAllTextAsync(marker, "seeded");
                seeding = Seconds(watch.Elapsed);
            }

            var asOf = BenchItems.Start.AddDays((items / subjects) + 30);
            var load = BenchSettings.LoadAverage();
            var analysis = await ChildAsync("analyze", root, asOf, repeats);
            var digest = await ChildAsync("digest", root, asOf, repeats);
            var reference = await ChildAsync("floor", root, asOf, repeats);
            load += " → " + BenchSettings.LoadAverage();
            output.WriteLine($"| {items:N0} | {subjects:N0} ({reference.Latest:N0}) | {seeding} | {analysis.Median} ({analysis.Min}–{analysis.Max}) | {analysis.PeakMb} MB | {digest.Median} | {digest.PeakMb} MB | {reference.Median} | {reference.PeakMb} MB | {analysis.MedianSeconds / reference.MedianSeconds:0.00}× | {load} |");
            if (!keep)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Writes <paramref name="items"/> items (subject = n mod subjects, run = n div subjects) and their index rows.</summary>
    private static async Task SeedAsync(string root, int items, int subjects)
    {
        var store = new FolderEvidenceStore(root);
        const int Chunk = 20_000;
        for (var start = 0; start < items; start += Chunk)
        {
            var count = Math.Min(Chunk, items - start);
            var observations = new IndexedObservation[count];
            Parallel.For(0, count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
            {
                var n = start + i;
                var item = BenchItems.Item(n % subjects, n / subjects);
                var full = Path.Combine(root, StoreLayout.ItemPath(item.Id));
                Directory.CreateDirectory(Path.GetDirectoryName(full)!);
                File.WriteAllBytes(full, EvidenceItemJson.ToBytes(item));
                observations[i] = IndexedObservation.For(item);
            });
            await store.Index.RecordAsync(observations);
        }
    }

    private sealed record ChildResult(double MedianSeconds, double MinSeconds, double MaxSeconds, long PeakBytes, int Latest)
    {
        public string Median => Seconds(TimeSpan.FromSeconds(MedianSeconds));

        public string Min => Seconds(TimeSpan.FromSeconds(MinSeconds));

        public string Max => Seconds(TimeSpan.FromSeconds(MaxSeconds));

        public long PeakMb => PeakBytes / (1024 * 1024);
    }

    private static async Task<ChildResult> ChildAsync(string mode, string root, DateTimeOffset asOf, int repeats)
    {
        var self = Environment.ProcessPath!;
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, RedirectStandardError = true };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            start.ArgumentList.Add(typeof(GapScaleBenchmark).Assembly.Location);
        }

        foreach (var argument in new[] { ChildFlag, mode, root, asOf.ToString("O", CultureInfo.InvariantCulture), repeats.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"child '{mode}' exited {process.ExitCode}: {await stderr}");
        }

        var fields = (await stdout).Trim().Split(';');
        double D(int i) => double.Parse(fields[i], CultureInfo.InvariantCulture);
        return new ChildResult(D(0), D(1), D(2), long.Parse(fields[3], CultureInfo.InvariantCulture), int.Parse(fields[4], CultureInfo.InvariantCulture));
    }

    /// <summary>The child process: runs one measurement <c>repeats</c> times and prints median;min;max;peak RSS;latest items.</summary>
    public static async Task<int> RunChildAsync(string[] args)
    {
        var (mode, root, asOf, repeats) = (args[1], args[2], DateTimeOffset.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture));
        var times = new List<double>();
        var latest = 0;
        for (var i = 0; i < repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            latest = mode switch
            {
                "analyze" => Count(await AnalyzeAsync(root, asOf)),
                "digest" => await AnalyzeAndWriteDigestAsync(root, asOf),
                "floor" => await ReadEveryLatestItemAsync(new FolderEvidenceStore(root)),
                _ => throw new ArgumentException($"unknown child mode '{mode}'"),
            };
            times.Add(watch.Elapsed.TotalSeconds);
        }

        times.Sort();
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Join(';', times[times.Count / 2].ToString("0.000", CultureInfo.InvariantCulture), times[0].ToString("0.000", CultureInfo.InvariantCulture),
            times[^1].ToString("0.000", CultureInfo.InvariantCulture), self.PeakWorkingSet64.ToString(CultureInfo.InvariantCulture), latest.ToString(CultureInfo.InvariantCulture)));
        return 0;
    }

    private static Task<GapReport> AnalyzeAsync(string root, DateTimeOffset asOf) =>
        new GapAnalyzer(new FolderEvidenceStore(root), RequirementSet.LoadDefaults(), CheckRegistry.Default)
            .AnalyzeAsync(new GapAnalysisOptions("Contoso", asOf, AuditCalendar.Empty, []));

    private static int Count(GapReport report)
    {
        if (report.Requirements.Count == 0)
        {
            throw new InvalidOperationException("no requirement was analysed");
        }

        return report.Requirements.Sum(r => r.Subjects.Count);
    }

    private static async Task<int> AnalyzeAndWriteDigestAsync(string root, DateTimeOffset asOf)
    {
        var report = await AnalyzeAsync(root, asOf);
        await JsonDigestWriter.WriteAsync(report, Stream.Null);
        return Count(report);
    }

    /// <summary>
    /// The floor: every latest item (from the same index) read once through the store, parsed once and its stored bytes
    /// hashed once, 16 at a time, keeping nothing. No requirement is evaluated and no report is built.
    /// </summary>
    public static async Task<int> ReadEveryLatestItemAsync(IEvidenceStore store)
    {
        var read = 0;
        await foreach (var kind in store.ListIndexedKindsAsync())
        {
            var entries = new List<IndexEntry>();
            await foreach (var entry in store.ReadLatestAsync(kind, null))
            {
                entries.Add(entry);
            }

            await Parallel.ForEachAsync(entries, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, ct) =>
            {
                using var bytes = new MemoryStream();
                await using (var stream = await store.OpenItemAsync(entry.ItemId, ct) ?? throw new InvalidOperationException($"item {entry.ItemId} is missing"))
                {
                    await stream.CopyToAsync(bytes, ct);
                }

                var item = EvidenceItemJson.Parse(bytes.GetBuffer().AsSpan(0, (int)bytes.Length));
                if (item.Id != entry.ItemId || SHA256.HashData(bytes.GetBuffer().AsSpan(0, (int)bytes.Length)).Length != 32)
                {
                    throw new InvalidOperationException($"item {entry.ItemId} is not what the index says");
                }

                Interlocked.Increment(ref read);
            });
        }

        return read;
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds < 10 ? $"{t.TotalSeconds:0.00} s" : $"{t.TotalSeconds:0} s";
}
