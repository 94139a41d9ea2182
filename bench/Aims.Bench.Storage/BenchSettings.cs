using System.Globalization;

namespace Aims.Bench.Storage;

/// <summary>Command-line settings of the storage benchmark.</summary>
internal sealed record BenchSettings(int WriteItems, int[] Jobs, int Subjects, int[] AzuriteGapSizes, int[] FolderGapSizes, int[] WriteCostSubjects, bool WriteCostOnly, int[] RedeliveryLedgerSizes, bool SkipGap)
{
    /// <summary>Gap analysis at scale: this many items on the folder store, over each of <see cref="GapScaleSubjects"/>.</summary>
    public int GapScaleItems { get; init; }

    /// <summary>Subject counts for the scale benchmark; empty to skip it.</summary>
    public int[] GapScaleSubjects { get; init; } = [];

    public int GapScaleRepeats { get; init; } = 3;

    /// <summary>Where the scale benchmark seeds its stores (about 1.5 GB per million items).</summary>
    public string? GapScaleScratch { get; init; }

    /// <summary>Keep the seeded stores (and reuse them on the next run) instead of deleting them.</summary>
    public bool GapScaleKeep { get; init; }

    /// <summary>Run the full listing scan on Azurite too (minutes at 100,000 blobs on a loaded machine).</summary>
    public bool AzuriteScan { get; init; } = true;

    /// <summary>Skip the write benchmarks (items/s), for a run of the gap analyses only.</summary>
    public bool SkipWrites { get; init; }

    /// <summary>Run only the scale benchmark.</summary>
    public bool GapScaleOnly { get; init; }

    public static BenchSettings Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        int[] List(string name, string fallback) => values.GetValueOrDefault(name, fallback).Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new BenchSettings(
            List("--write-items", "400")[0],
            List("--jobs", "1,4,16"),
            List("--subjects", "1000")[0],
            List("--azurite-gap", "10000,30000"),
            List("--folder-gap", "10000,100000"),
            List("--write-cost", "100,2000,20000"),
            List("--write-cost-only", "0")[0] == 1,
            List("--redelivery", "1000,100000"),
            List("--skip-gap", "0")[0] == 1)
        {
            GapScaleItems = List("--gap-scale-items", "1000000")[0],
            GapScaleSubjects = values.TryGetValue("--gap-scale", out var scale) ? scale.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() : [],
            GapScaleRepeats = List("--gap-scale-repeats", "3")[0],
            GapScaleScratch = values.GetValueOrDefault("--gap-scale-scratch"),
            GapScaleKeep = List("--gap-scale-keep", "0")[0] == 1,
            GapScaleOnly = List("--gap-scale-only", "0")[0] == 1,
            AzuriteScan = List("--azurite-gap-scan", "1")[0] == 1,
            SkipWrites = List("--skip-writes", "0")[0] == 1,
        };
    }

    public static string MemoryGiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        var kb = line?.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1];
        return kb is null ? "?" : (long.Parse(kb, CultureInfo.InvariantCulture) / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";
}
