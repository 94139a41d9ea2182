using System.Diagnostics;
using System.Runtime.InteropServices;
using Aims.Bench.Storage;

// Storage benchmark: dotnet run -c Release --project bench/Aims.Bench.Storage [-- --write-items N --jobs 1,4,16
//   --subjects N --azurite-gap 10000 --folder-gap 10000,100000 --write-cost 100,2000,20000 --write-cost-only 1
//   --redelivery 1000,100000 --skip-gap 1 --skip-writes 1 --azurite-gap-scan 0 --gap-scale 1000,100000
//   --gap-scale-items 1000000 --gap-scale-repeats 3 --gap-scale-scratch DIR --gap-scale-keep 1 --gap-scale-only 1]
if (args.Length > 0 && args[0] == GapScaleBenchmark.ChildFlag)
{
    return await GapScaleBenchmark.RunChildAsync(args);
}

var settings = BenchSettings.Parse(args);
var scratch = Path.Combine(Path.GetTempPath(), $"aims-bench-{Environment.ProcessId}");
Directory.CreateDirectory(scratch);
var output = Console.Out;
output.WriteLine($"Machine: {Environment.ProcessorCount} logical CPUs, {BenchSettings.MemoryGiB()} GiB RAM, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, load average {BenchSettings.LoadAverage()}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
var total = Stopwatch.StartNew();
if (settings.GapScaleSubjects.Length > 0)
{
    output.WriteLine();
    output.WriteLine("### Gap analysis at scale (folder store)");
    var gapScratch = settings.GapScaleScratch ?? scratch;
    Directory.CreateDirectory(gapScratch);
    await GapScaleBenchmark.RunAsync(gapScratch, settings.GapScaleItems, settings.GapScaleSubjects, settings.GapScaleRepeats, settings.GapScaleKeep, output);
    if (settings.GapScaleOnly)
    {
        Directory.Delete(scratch, recursive: true);
        return 0;
    }
}

output.WriteLine();
output.WriteLine("### Item write cost against subjects already indexed");
await WriteCostBenchmark.RunAsync(scratch, settings.WriteCostSubjects, output);
if (settings.WriteCostOnly)
{
    Directory.Delete(scratch, recursive: true);
    return 0;
}

await using (var azurite = await AzuriteProcess.StartAsync())
{
    if (settings.WriteItems > 0 && !settings.SkipWrites)
    {
        output.WriteLine();
        output.WriteLine("### Writes");
        await WriteBenchmark.RunAsync(azurite, scratch, settings.Jobs, settings.WriteItems, output);
    }

    output.WriteLine();
    output.WriteLine("### Redelivery and ledger heads against the ledger's length");
    await RedeliveryBenchmark.RunAsync(azurite, scratch, settings.RedeliveryLedgerSizes, output);
    output.WriteLine();
    if (!settings.SkipGap)
    {
        output.WriteLine("### Gap analysis");
        await GapBenchmark.RunAsync(azurite, scratch, settings.Subjects, settings.AzuriteGapSizes, settings.FolderGapSizes, settings.AzuriteScan, output);
        output.WriteLine();
    }

    output.WriteLine($"Azurite used {azurite.CpuTime().TotalSeconds:0} s of CPU; the whole run took {total.Elapsed.TotalSeconds:0} s.");
}

Directory.Delete(scratch, recursive: true);
return 0;
