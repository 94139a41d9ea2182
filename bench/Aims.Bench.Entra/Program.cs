using System.Diagnostics;
using System.Runtime.InteropServices;
using Aims.Bench.Entra;
using Aims.Testing;

// Entra benchmark: dotnet run -c Release --project bench/Aims.Bench.Entra [-- --users 100000 --groups 5000
//   --service-principals 2000 --ai-groups 50 --reviewed-groups 5 --changes 10 --markdown results.md]
var options = BenchOptions.Parse(args);
var output = Console.Out;
var folder = Path.Combine(Path.GetTempPath(), $"aims-bench-entra-{Environment.ProcessId}");
Directory.CreateDirectory(folder);
var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
output.WriteLine($"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, load average {load}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
output.WriteLine($"Tenant: {options.Users:N0} users, {options.Groups:N0} groups ({options.AiGroups} configured AI groups), {options.ServicePrincipals:N0} service principals, {options.ReviewedGroups} reviewed AI groups; {options.Changes} membership changes before run 3");

var generate = Stopwatch.StartNew();
var tenant = new BenchTenant(options);
var graph = new FakeGraph(tenant);
output.WriteLine($"Generated the tenant in {generate.Elapsed.TotalSeconds:0.0} s");

var results = new List<RunResult>();
await using (var server = await LocalHttpServer.StartAsync(graph.HandleAsync, https: true))
{
    var runner = new EntraRunner(tenant, graph, server, folder);
    results.Add(await runner.RunAsync("1. first run (no state)"));
    results.Add(await runner.RunAsync("2. re-run, nothing changed"));

    // Users move between AI groups: each move is one leaver and one joiner.
    for (var c = 0; c < options.Changes / 2; c++)
    {
        var user = c * 7 + 1;
        var from = user % options.AiGroups;
        graph.MoveUser(user, from, (from + 1) % options.AiGroups);
    }

    results.Add(await runner.RunAsync($"3. re-run after {options.Changes / 2 * 2} membership changes"));
}

var markdown = Report.Markdown(options, results);
output.WriteLine();
output.WriteLine(markdown);
if (options.Markdown is { } path)
{
    await File.WriteAllTextAsync(path, markdown);
}

Directory.Delete(folder, recursive: true);
