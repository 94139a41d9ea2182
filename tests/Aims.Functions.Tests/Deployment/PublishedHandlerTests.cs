using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Functions.Tests.Infrastructure;
using Aims.Testing;

namespace Aims.Functions.Tests.Deployment;

/// <summary>The published folder is what the Functions host runs: check its layout and run it as the host would.</summary>
public sealed class PublishedHandlerTests(PublishedApp app) : IClassFixture<PublishedApp>
{
    private static readonly string[] Functions = ["ScheduleCollection", "CollectEvidence", "ProcessPoison", "AnalyzeGaps", "Bundles"];

    [Fact]
    public void Holds_the_dll_host_json_and_every_function_json_next_to_each_other()
    {
        Assert.True(File.Exists(Path.Combine(app.Output, "Aims.Functions.dll")));
        var host = JsonNode.Parse(File.ReadAllText(Path.Combine(app.Output, "host.json")))!;
        Assert.Equal("dotnet", host["customHandler"]!["description"]!["defaultExecutablePath"]!.GetValue<string>());
        Assert.Equal("Aims.Functions.dll", host["customHandler"]!["description"]!["arguments"]![0]!.GetValue<string>());
        Assert.True(host["customHandler"]!["enableProxyingHttpRequest"]!.GetValue<bool>());
        Assert.Equal(5, host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>());
        foreach (var function in Functions)
        {
            var bindings = JsonNode.Parse(File.ReadAllText(Path.Combine(app.Output, function, "function.json")))!["bindings"]!.AsArray();
            Assert.NotEmpty(bindings);
        }

        // Storage queues are the default transport; the Service Bus variants are not shipped.
        Assert.Equal("queueTrigger", Binding("CollectEvidence")["type"]!.GetValue<string>());
        Assert.Empty(Directory.EnumerateFiles(app.Output, "function.servicebus.json", SearchOption.AllDirectories));
        Assert.False(Directory.Exists(Path.Combine(app.Output, "functions")));
    }

    [Fact]
    public void Is_compiled_ReadyToRun_for_linux_x64()
    {
        // Framework-dependent: the host starts it with the runtime's own `dotnet`.
        Assert.False(File.Exists(Path.Combine(app.Output, "libcoreclr.so")));
        using var stream = File.OpenRead(Path.Combine(app.Output, "Aims.Functions.dll"));
        using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
        // A ReadyToRun image carries a managed native header (the R2R header) besides its IL.
        Assert.NotNull(pe.PEHeaders.CorHeader);
        Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, "Aims.Functions.dll is not ReadyToRun.");
    }

    [Fact]
    public async Task Runs_under_FUNCTIONS_CUSTOMHANDLER_PORT_and_answers_each_function_route()
    {
        using var folder = new TempDirectory("aims-published-run");
        var config = RepositoryPaths.CopySample(folder.Combine("org"));
        var port = FreePort.Next();
        using var handler = Start(new Dictionary<string, string>
        {
            ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(CultureInfo.InvariantCulture),
            ["AIMS_CONFIG"] = config,
            ["Aims__Store"] = folder.Combine("store"),
            ["AIMS_COLLECT_SCHEDULE"] = "0 0 2 * * *",
        });
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(60) };

        // The host polls GET / after starting the handler; it must answer well inside the host's 60 s (a bound, not a benchmark).
        var ready = await WaitForReadinessAsync(client, handler, TimeSpan.FromSeconds(5));
        Assert.True(ready, "The published handler did not answer GET / within 5 s.\n" + handler.Output);

        var now = DateTimeOffset.UtcNow;
        var plan = await PostAsync(client, "ScheduleCollection", HostPayloads.Timer("ScheduleCollection", now));
        Assert.Equal(200, plan.Status);
        var job = ((JsonArray)plan.Body!["Outputs"]!["jobs"]!)[0]!.ToJsonString();
        Assert.Equal(200, (await PostAsync(client, "CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", job, 1, "m-1", now))).Status);
        Assert.Equal(200, (await PostAsync(client, "ProcessPoison", HostPayloads.QueueMessage("ProcessPoison", job, 1, "p-1", now))).Status);
        Assert.Equal(200, (await PostAsync(client, "AnalyzeGaps", HostPayloads.Timer("AnalyzeGaps", now))).Status);

        using var create = await client.PostAsync("api/bundles", new StringContent("""{"from":"2026-01-01","to":"2027-12-31"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(201, (int)create.StatusCode);
        var id = JsonNode.Parse(await create.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var download = await client.GetAsync($"api/bundles/{id}");
        Assert.Equal(200, (int)download.StatusCode);
        await using var zipStream = await download.Content.ReadAsStreamAsync();
        using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read);
        Assert.Contains(zip.Entries, e => e.FullName == "manifest.json");
        using var bad = await client.GetAsync("api/bundles/..%2Fledger");
        Assert.Equal(400, (int)bad.StatusCode);
    }

    [Fact]
    public async Task Exits_with_the_setting_named_when_the_port_is_missing()
    {
        using var handler = Start(new Dictionary<string, string> { ["Aims__Store"] = Path.GetTempPath() });

        Assert.True(handler.Process.WaitForExit(TimeSpan.FromSeconds(30)));
        Assert.Equal(2, handler.Process.ExitCode);
        Assert.Contains("FUNCTIONS_CUSTOMHANDLER_PORT", handler.Output);
    }

    [Fact]
    public async Task Publishes_the_Service_Bus_bindings_when_asked()
    {
        var (exit, output) = await PublishedApp.DotnetAsync(RepositoryPaths.Root, TimeSpan.FromMinutes(2),
            "msbuild", RepositoryPaths.Combine("src", "Aims.Functions", "Aims.Functions.csproj"), "-nologo", "-p:AimsQueueTransport=ServiceBus", "-getItem:None");
        Assert.True(exit == 0, output);

        var links = JsonNode.Parse(output)!["Items"]!["None"]!.AsArray()
            .Where(i => i!["Link"]?.GetValue<string>().EndsWith("function.json", StringComparison.Ordinal) == true)
            .ToDictionary(i => i!["Link"]!.GetValue<string>(), i => Path.GetFileName(i!["Identity"]!.GetValue<string>()));

        Assert.Equal(Functions.Select(f => $"{f}/function.json").Order(), links.Keys.Select(k => k.Replace('\\', '/')).Order());
        Assert.Equal("function.servicebus.json", links.Single(l => l.Key.StartsWith("CollectEvidence", StringComparison.Ordinal)).Value);
        Assert.Equal("function.servicebus.json", links.Single(l => l.Key.StartsWith("ProcessPoison", StringComparison.Ordinal)).Value);
        Assert.Equal("function.servicebus.json", links.Single(l => l.Key.StartsWith("ScheduleCollection", StringComparison.Ordinal)).Value);
        Assert.Equal("function.json", links.Single(l => l.Key.StartsWith("AnalyzeGaps", StringComparison.Ordinal)).Value);
    }

    private JsonObject Binding(string function) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(app.Output, function, "function.json")))!["bindings"]![0]!.AsObject();

    private RunningHandler Start(Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("dotnet", "Aims.Functions.dll") { WorkingDirectory = app.Output, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return new RunningHandler(Process.Start(info)!);
    }

    private static async Task<bool> WaitForReadinessAsync(HttpClient client, RunningHandler handler, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within && !handler.Process.HasExited)
        {
            try
            {
                using var response = await client.GetAsync("");
                if ((int)response.StatusCode == 200)
                {
                    return true;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet, as the host sees it while it polls.
            }

            await Task.Delay(25);
        }

        return false;
    }

    private static async Task<HostAnswer> PostAsync(HttpClient client, string function, JsonObject payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, function) { Content = new StringContent(payload.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Azure-Functions-InvocationId", "7d1b7c7e-0d7a-4c55-9f3c-2b1f1f3e9a10");
        request.Headers.Add("X-Azure-Functions-HostVersion", HandlerHost.HostVersion);
        using var response = await client.SendAsync(request);
        return new HostAnswer((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()) as JsonObject);
    }

    /// <summary>The handler process; its output is kept for failure messages, and it is stopped on dispose.</summary>
    private sealed class RunningHandler : IDisposable
    {
        private readonly StringBuilder _output = new();

        public RunningHandler(Process process)
        {
            Process = process;
            process.OutputDataReceived += (_, e) => Append(e.Data);
            process.ErrorDataReceived += (_, e) => Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                if (Process.WaitForExit(TimeSpan.FromSeconds(1)))
                {
                    // The parameterless wait also waits for the redirected output to be read to its end.
                    Process.WaitForExit();
                }

                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(TimeSpan.FromSeconds(10));
            }

            Process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is not null)
            {
                lock (_output)
                {
                    _output.AppendLine(line);
                }
            }
        }
    }
}
