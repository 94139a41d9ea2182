using System.Diagnostics;
using System.Globalization;
using Aims.Bench.Bundles;
using Aims.Evidence.Checks;
using Aims.Evidence.Gaps;
using Aims.Evidence.Requirements;
using Aims.Reporting.Bundle;
using Aims.Reporting.Verification;
using Aims.Storage;

// Bundle build and verify beside their references, in one run, each timed in its own process with its peak RSS:
//   build:  BundleWriter on a folder store        vs  sha256sum over the same files + zip -0 of them
//   verify: BundleVerifier on the zip             vs  sha256sum -c over the unzipped files
// Shapes: payloads of 512 KiB each, incompressible (2,000 = 1,000 MiB by default; 10,240 = 5 GiB), and 100,000 small items.
// Usage: dotnet run -c Release --project bench/Aims.Bench.Bundles -- [--shape payloads|items|all] [--payloads N] [--items N] [--work DIR]
if (args is ["build", var buildStore, var buildZip])
{
    return await BuildAsync(buildStore, buildZip);
}

if (args is ["seed", var seedStore, var seedItems, var seedPayload])
{
    await Seeder.SeedAsync(seedStore, int.Parse(seedItems, CultureInfo.InvariantCulture), int.Parse(seedPayload, CultureInfo.InvariantCulture));
    return 0;
}

if (args is ["verify", var verifyZip])
{
    return await VerifyAsync(verifyZip);
}

var shape = Arg("--shape") ?? "all";
var work = Arg("--work") ?? Path.Combine(Path.GetTempPath(), "aims-bench-bundles");
var rows = new List<string>();
foreach (var (name, items, payload) in new[] { ("payloads", int.Parse(Arg("--payloads") ?? "2000", CultureInfo.InvariantCulture), 512 * 1024), ("items", int.Parse(Arg("--items") ?? "100000", CultureInfo.InvariantCulture), 0) })
{
    if (shape != "all" && shape != name)
    {
        continue;
    }

    var dir = Path.Combine(work, name);
    if (Directory.Exists(dir))
    {
        Directory.Delete(dir, recursive: true);
    }

    var store = Path.Combine(dir, "store");
    var seed = Stopwatch.StartNew();
    await Seeder.SeedAsync(store, items, payload);
    Console.WriteLine($"{name}: seeded {items:N0} items in {seed.Elapsed.TotalSeconds:F1} s");
    var zip = Path.Combine(dir, "bundle.zip");
    var self = typeof(Seeder).Assembly.Location;

    Console.WriteLine($"{name}: build from {Load()}");
    var build = Timed("dotnet", $"\"{self}\" build \"{store}\" \"{zip}\"", dir);
    var referenceBuild = Timed("sh", "-c \"find items raw ledger -type f 2>/dev/null | sort > ../files.txt && xargs -a ../files.txt sha256sum > ../SUMS && zip -0 -q ../reference.zip -@ < ../files.txt\"", store);
    Console.WriteLine($"{name}: reference build {referenceBuild}; verify from {Load()}");
    var verify = Timed("dotnet", $"\"{self}\" verify \"{zip}\"", dir);
    var extracted = Path.Combine(dir, "extracted");
    Run("unzip", $"-q \"{zip}\" -d \"{extracted}\"", dir);
    var referenceVerify = Timed("sha256sum", "-c --quiet SHA256SUMS", extracted);
    Console.WriteLine($"{name}: build {build}, verify {verify}, reference verify {referenceVerify}; done at {Load()}");
    var zipBytes = new FileInfo(zip).Length;
    var content = Directory.EnumerateFiles(extracted, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length);
    rows.Add($"| {name} ({items:N0} items{(payload > 0 ? $", {items * (long)payload / (1024 * 1024):N0} MiB of payloads" : "")}) | {build} | {referenceBuild} | {verify} | {referenceVerify} | {100.0 * zipBytes / content:F1} % |");
    Directory.Delete(dir, recursive: true);
}

Console.WriteLine();
Console.WriteLine("| shape | bundle build: s, peak RSS | sha256sum + zip -0: s, peak RSS | aims verify: s, peak RSS | sha256sum -c: s, peak RSS | zip size / content |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: |");
rows.ForEach(Console.WriteLine);
return 0;

// The load averages beside each phase: the machine is shared, so every figure is read with them.
static string Load() => File.Exists("/proc/loadavg") ? "load " + string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "load unknown";

string? Arg(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

static string Timed(string file, string arguments, string directory)
{
    // Each phase starts with nothing left to write back: the gigabytes the previous phase (or the seeding) wrote would
    // otherwise be flushed to disk during this one and slow its own writes.
    Run("sync", "", directory);
    var output = Run("/usr/bin/time", $"-f \"TIMED %e %M\" {file} {arguments}", directory);
    var line = output.Split('\n').Last(l => l.StartsWith("TIMED ", StringComparison.Ordinal)).Split(' ');
    return $"{double.Parse(line[1], CultureInfo.InvariantCulture):F1} s, {long.Parse(line[2], CultureInfo.InvariantCulture) / 1024} MB";
}

static string Run(string file, string arguments, string directory)
{
    var start = new ProcessStartInfo(file, arguments) { WorkingDirectory = directory, RedirectStandardError = true, RedirectStandardOutput = true };
    using var process = Process.Start(start)!;
    var stdout = process.StandardOutput.ReadToEndAsync();
    var stderr = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}): {stdout.Result}{stderr}");
    }

    return stdout.Result + stderr;
}

static async Task<int> BuildAsync(string storePath, string zip)
{
    var clock = Stopwatch.StartNew();
    var store = new FolderEvidenceStore(storePath, TimeProvider.System);
    var report = await new GapAnalyzer(store, RequirementSet.LoadDefaults(), CheckRegistry.Default)
        .AnalyzeAsync(new GapAnalysisOptions("Bench Ltd", TimeProvider.System.GetUtcNow(), new AuditCalendar([]), []));
    Console.WriteLine($"stage analysis done at {clock.Elapsed.TotalSeconds:F1} s");
    var result = await new BundleWriter(store).WriteFileAsync(new BundleRequest(Seeder.Start, TimeProvider.System.GetUtcNow(), report, "bench"), zip, new StageClock(clock));
    Console.WriteLine($"bundle: {result.ItemCount} items, {result.RawCount} raw, {result.FileCount} files");
    return 0;
}

static async Task<int> VerifyAsync(string zip)
{
    var result = await new BundleVerifier().VerifyAsync(zip);
    Console.WriteLine(result.IsIntact ? "intact" : $"NOT intact: {result.Findings.Count} findings, first: {result.Findings[0]}");
    return result.IsIntact ? 0 : 1;
}

/// <summary>Prints when each bundle stage starts, so a slow stage shows in the bench output.</summary>
internal sealed class StageClock(Stopwatch clock) : IProgress<BundleProgress>
{
    private BundleStage? _last;

    public void Report(BundleProgress value)
    {
        if (value.Stage != _last)
        {
            Console.WriteLine($"stage {value.Stage} from {clock.Elapsed.TotalSeconds:F1} s (GC heap {GC.GetTotalMemory(false) / (1024 * 1024)} MB, collections {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)})");
            _last = value.Stage;
        }
    }
}
