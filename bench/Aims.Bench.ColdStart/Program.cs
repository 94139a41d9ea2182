using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

// Measures cold start as the Functions host sees it: from starting `dotnet X.dll` to the first 200 on GET /
// (the host's readiness poll). Publishes three variants into a temp folder, then starts each one `runs` times,
// interleaved so background load hits every variant alike. Usage: dotnet run -c Release --project bench/Aims.Bench.ColdStart [runs]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 15;
var root = FindRoot();
var work = Path.Combine(Path.GetTempPath(), "aims-coldstart-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
var sample = Path.Combine(work, "org");
CopyDirectory(Path.Combine(root, "samples", "contoso"), sample);

var variants = new (string Name, string Project, string Dll, string[] Properties)[]
{
    ("hello world (minimal API, JIT)", "bench/Aims.Bench.ColdStart.HelloWorld", "Aims.Bench.ColdStart.HelloWorld.dll", ["-p:PublishReadyToRun=false"]),
    ("hello world (minimal API, ReadyToRun)", "bench/Aims.Bench.ColdStart.HelloWorld", "Aims.Bench.ColdStart.HelloWorld.dll", ["-p:PublishReadyToRun=true", "-r", "linux-x64", "--self-contained", "false"]),
    ("Aims.Functions (JIT)", "src/Aims.Functions", "Aims.Functions.dll", ["-p:PublishReadyToRun=false"]),
    ("Aims.Functions (ReadyToRun, as shipped)", "src/Aims.Functions", "Aims.Functions.dll", []),
};

var folders = new List<string>();
for (var i = 0; i < variants.Length; i++)
{
    var output = Path.Combine(work, "v" + i.ToString(CultureInfo.InvariantCulture));
    Console.Error.WriteLine($"publishing {variants[i].Name} ...");
    Run("dotnet", root, ["publish", variants[i].Project, "-c", "Release", "-o", output, "-nologo", .. variants[i].Properties]);
    folders.Add(output);
}

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

Console.WriteLine($"Cold start, process start to first 200 on GET / ({runs} runs each, after one uncounted warm-up run)");
Console.WriteLine();
Console.WriteLine("| variant | min ms | median ms | p90 ms | max ms |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: |");
for (var i = 0; i < variants.Length; i++)
{
    var s = samples[i].Order().ToArray();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {variants[i].Name} | {s[0]:F0} | {Percentile(s, 0.5):F0} | {Percentile(s, 0.9):F0} | {s[^1]:F0} |"));
}

Directory.Delete(work, recursive: true);
return 0;

async Task<double> ColdStartAsync(string folder, string dll)
{
    var port = FreePort();
    var info = new ProcessStartInfo("dotnet", dll) { WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardError = true };
    info.Environment["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture);
    info.Environment["AIMS_CONFIG"] = Path.Combine(sample, "aims.json");
    info.Environment["Aims__Store"] = Path.Combine(work, "store");
    using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
    var url = new Uri($"http://127.0.0.1:{port}/");
    var clock = Stopwatch.StartNew();
    using var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, _) => { };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    try
    {
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                using var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return clock.Elapsed.TotalMilliseconds;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (process.HasExited)
            {
                throw new InvalidOperationException($"{dll} exited with {process.ExitCode} before answering.");
            }

            await Task.Delay(2);
        }

        throw new TimeoutException($"{dll} did not answer within 60 s.");
    }
    finally
    {
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }
}

static double Percentile(double[] sorted, double p)
{
    var rank = p * (sorted.Length - 1);
    var low = (int)Math.Floor(rank);
    var high = (int)Math.Ceiling(rank);
    return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
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
