using System.Diagnostics;
using System.Globalization;
using Aims.Functions.WorkerHost;

// Measures cold start as the Functions host sees it: from starting `dotnet X.dll` until the worker has answered
// WorkerInitRequest, FunctionsMetadataRequest and every FunctionLoadRequest over gRPC — ready for its first
// invocation. Both apps are driven by the same test host (tests/Aims.Functions.WorkerHost) in the same run:
// a hello-world isolated worker (one HTTP function) and Aims.Functions, each published JIT and ReadyToRun, started
// `runs` times, interleaved so background load hits every variant alike.
// Usage: dotnet run -c Release --project bench/Aims.Bench.ColdStart [runs]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
var root = FindRoot();
var work = Path.Combine(Path.GetTempPath(), "aims-coldstart-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
var sample = Path.Combine(work, "org");
CopyDirectory(Path.Combine(root, "samples", "contoso"), sample);

var variants = new (string Name, string Project, string Dll, string[] Properties)[]
{
    ("hello-world isolated worker (JIT)", "bench/Aims.Bench.ColdStart.HelloWorld", "Aims.Bench.ColdStart.HelloWorld.dll", ["-p:PublishReadyToRun=false"]),
    ("hello-world isolated worker (ReadyToRun)", "bench/Aims.Bench.ColdStart.HelloWorld", "Aims.Bench.ColdStart.HelloWorld.dll", ["-p:PublishReadyToRun=true"]),
    ("Aims.Functions (JIT)", "src/Aims.Functions", "Aims.Functions.dll", ["-p:PublishReadyToRun=false"]),
    ("Aims.Functions (ReadyToRun, as shipped)", "src/Aims.Functions", "Aims.Functions.dll", []),
};

var folders = new List<string>();
for (var i = 0; i < variants.Length; i++)
{
    var output = Path.Combine(work, "v" + i.ToString(CultureInfo.InvariantCulture));
    Console.Error.WriteLine($"publishing {variants[i].Name} ...");
    Run("dotnet", root, ["publish", variants[i].Project, "-c", "Release", "-o", output, "-nologo", "-v", "q", .. variants[i].Properties]);
    folders.Add(output);
}

// The Aims app as it starts in Azure, with the Contoso sample, a folder store and storage settings (nothing is
// contacted before the first invocation); the hello world ignores them.
var environment = new Dictionary<string, string?>
{
    ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
    ["AIMS_CONFIG"] = Path.Combine(sample, "aims.json"),
    ["Aims__Store"] = Path.Combine(work, "store"),
    ["AIMS_COLLECT_SCHEDULE"] = "0 0 2 * * *",
    ["AIMS_CHECK_RUNS_SCHEDULE"] = "0 30 * * * *",
};

var samples = variants.Select(_ => new List<double>()).ToArray();
for (var run = 0; run < runs + 1; run++)
{
    for (var i = 0; i < variants.Length; i++)
    {
        var ms = await ColdStartAsync(folders[i], variants[i].Dll);
        if (run > 0)
        {
            // Run 0 warms the disk cache for every variant; it is not counted.
            samples[i].Add(ms);
        }
    }
}

Console.WriteLine($"Cold start, worker process start to every function loaded over gRPC ({runs} runs each, after one uncounted warm-up run)");
Console.WriteLine();
Console.WriteLine("| variant | min ms | median ms | p90 ms | max ms |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
var medians = new double[variants.Length];
for (var i = 0; i < variants.Length; i++)
{
    var s = samples[i].Order().ToArray();
    medians[i] = Percentile(s, 0.5);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {variants[i].Name} | {s[0]:F0} | {medians[i]:F0} | {Percentile(s, 0.9):F0} | {s[^1]:F0} |"));
}

Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"Aims.Functions / hello world, median: JIT {medians[2] / medians[0]:F2}x, ReadyToRun {medians[3] / medians[1]:F2}x (goal <= 1.3x)."));
Directory.Delete(work, recursive: true);
return 0;

async Task<double> ColdStartAsync(string folder, string dll)
{
    await using var worker = await FunctionsWorkerHost.StartAsync(folder, dll, environment, TimeSpan.FromSeconds(60));
    return worker.Startup.TotalMilliseconds;
}

static double Percentile(double[] sorted, double p)
{
    var rank = p * (sorted.Length - 1);
    var low = (int)Math.Floor(rank);
    var high = (int)Math.Ceiling(rank);
    return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
}

static void Run(string file, string directory, string[] arguments)
{
    var info = new ProcessStartInfo(file) { WorkingDirectory = directory };
    foreach (var a in arguments)
    {
        info.ArgumentList.Add(a);
    }

    using var process = Process.Start(info)!;
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} failed with {process.ExitCode}.");
    }
}

static string FindRoot()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Aims.Functions.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Run from inside the repository.");
}

static void CopyDirectory(string source, string target)
{
    foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
    {
        var destination = Path.Combine(target, Path.GetRelativePath(source, file));
        Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
        File.Copy(file, destination, overwrite: true);
    }
}
