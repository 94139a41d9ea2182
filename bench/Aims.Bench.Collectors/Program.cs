using System.Diagnostics;
using System.Globalization;
using Aims.Bench.Collectors;
using Aims.Collectors.Sources;
using Aims.Pipeline;
using Aims.Storage;

// Runs the real pipeline (EvidencePipeline over a folder store, response cache and collector state in the store) against
// fake GitHub and Jira servers on 127.0.0.1: a first run, a second run a day later with nothing changed, and a third run
// after a small change. Prints one markdown table per source.
var options = BenchOptions.Parse(args);
var periodStart = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
var firstRun = new DateTimeOffset(2026, 11, 20, 6, 0, 0, TimeSpan.Zero);
Console.WriteLine($"# Collector benchmark — {DateTimeOffset.Now:yyyy-MM-dd HH:mm}, {Environment.ProcessorCount} CPUs, .NET {Environment.Version}, parallelism {options.Parallelism}");

if (options.Sources.Contains("github"))
{
    await using var github = await FakeGitHubApi.StartAsync(options.Repos, options.Pulls, periodStart.AddDays(4));
    var settings = new Dictionary<string, string?>
    {
        ["Aims:Sources:GitHub:BaseUrl"] = github.BaseUri.AbsoluteUri,
        ["Aims:Sources:GitHub:Token"] = "bench-token-0000",
        ["Aims:Sources:GitHub:Organization"] = FakeGitHubApi.Organization,
        ["Aims:Sources:GitHub:Topic"] = "ai-system",
        ["Aims:Sources:GitHub:EvaluationWorkflows:0"] = "evaluate.yml",
    };
    await RunScenarioAsync(
        $"GitHub: {options.Repos:N0} repositories × {options.Pulls} merged pull requests",
        "GitHub", settings, github.Tally,
        () =>
        {
            for (var i = 0; i < options.Repos; i += Math.Max(1, options.Repos / options.Changes))
            {
                github.MergeAnother(i);
            }

            return $"{Math.Min(options.Changes, options.Repos)} repositories with one more merged pull request";
        });
}

if (options.Sources.Contains("jira"))
{
    await using var jira = await FakeJiraSite.StartAsync(options.Issues, periodStart.AddDays(1), firstRun.AddDays(-2));
    var settings = new Dictionary<string, string?>
    {
        ["Aims:Sources:Jira:BaseUrl"] = jira.BaseUri.AbsoluteUri,
        ["Aims:Sources:Jira:Email"] = "aims-bot@contoso.example",
        ["Aims:Sources:Jira:ApiToken"] = "bench-token-0000",
        ["Aims:Sources:Jira:Kinds:0"] = "change-requests",
        ["Aims:Sources:Jira:Projects"] = string.Join(',', FakeJiraSite.Projects),
    };
    await RunScenarioAsync(
        $"Jira: {options.Issues:N0} change requests in {FakeJiraSite.Projects.Length} projects",
        "Jira", settings, jira.Tally,
        () =>
        {
            jira.ResolveSome(options.Changes, firstRun.AddDays(1).AddHours(-3));
            return $"{options.Changes} open change requests resolved";
        });
}

async Task RunScenarioAsync(string title, string source, Dictionary<string, string?> sourceSettings, RequestTally tally, Func<string> change)
{
    var root = Path.Combine(Path.GetTempPath(), $"aims-bench-collectors-{source.ToLowerInvariant()}-{Environment.ProcessId}");
    Directory.CreateDirectory(root);
    try
    {
        var settings = new Dictionary<string, string?>(sourceSettings)
        {
            ["Aims:Audit:PeriodStart"] = periodStart.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ["Aims:Collection:Parallelism"] = options.Parallelism.ToString(CultureInfo.InvariantCulture),
        };
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var loggers = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole(o => o.SingleLine = true));
        var rows = new List<string>();
        long first = 0;
        TimeSpan firstWall = default, firstCpu = default;
        for (var run = 1; run <= options.Runs; run++)
        {
            var asOf = firstRun.AddDays(run - 1);
            var what = run switch { 1 => "first run (empty store)", 2 => "second run, nothing changed", _ => $"third run: {change()}" };
            var time = new FixedTime(asOf);
            var store = new FolderEvidenceStore(Path.Combine(root, "store"), time);
            var context = new SourceContext(time, loggers, root).WithStore(store);
            var pipeline = new EvidencePipeline(configuration, AimsSettings.Read(configuration, root), store, SourceRegistry.CreateDefault(), context);
            tally.Reset();
            GC.Collect();
            var allocated = GC.GetTotalAllocatedBytes(precise: true);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var summary = await pipeline.CollectAsync(asOf, onlySource: source);
            clock.Stop();
            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            var load = LoadAverage();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            if (run == 1)
            {
                first = tally.Counted;
                firstWall = clock.Elapsed;
                firstCpu = cpu;
            }

            var ratio = first == 0 ? "" : $"{100.0 * tally.Counted / first:0.00} %";
            rows.Add($"| {what} | {clock.Elapsed.TotalSeconds:0.0} s | {clock.Elapsed / firstWall:0.00}× | {cpu.TotalSeconds:0.0} s | {cpu / firstCpu:0.00}× | {tally.ServerTime.TotalSeconds:0.0} s | {tally.Total:N0} | {100.0 * tally.NotModified / Math.Max(1, tally.Total):0.0} % | {tally.Counted:N0} | {ratio} | {summary.Created:N0} | {summary.Errors} | {allocated / 1048576.0:N0} MB | {load} |");
            Console.Error.WriteLine($"{title}: {what}: {clock.Elapsed.TotalSeconds:0.0} s ({cpu.TotalSeconds:0.0} s CPU, {tally.ServerTime.TotalSeconds:0.0} s in the fake), {tally.Total:N0} requests, {tally.Counted:N0} counted, {summary.Errors} errors, load {load}");
            if (options.Verbose)
            {
                foreach (var (endpoint, total, notModified) in tally.Endpoints)
                {
                    Console.Error.WriteLine($"    {endpoint,-40} {total,9:N0} requests, {notModified,9:N0} × 304");
                }
            }
        }

        Console.WriteLine();
        Console.WriteLine($"### {title}");
        Console.WriteLine();
        Console.WriteLine("| run | wall time | vs first run | process CPU | vs first run | in the fake server | requests | 304 | counted against the rate limit | counted vs first run | items created | collector errors | allocated | load average (1/5/15 min) |");
        Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        rows.ForEach(Console.WriteLine);
    }
    finally
    {
        if (!options.Keep)
        {
            Directory.Delete(root, recursive: true);
        }
    }
}

// The machine's load when a run ends, as uptime shows it: the runs share two CPUs with whatever else is running.
static string LoadAverage() =>
    File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

/// <summary>A clock fixed at the run's as-of time, as the CLI's <c>--as-of</c> gives.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

internal sealed record BenchOptions(HashSet<string> Sources, int Repos, int Pulls, int Issues, int Changes, int Parallelism, int Runs, bool Keep, bool Verbose)
{
    public static BenchOptions Parse(string[] args)
    {
        var o = new BenchOptions(["github", "jira"], 2000, 50, 50_000, 20, 4, 3, false, false);
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            int Int() => int.TryParse(Next(), CultureInfo.InvariantCulture, out var v) && v > 0 ? v : throw new ArgumentException($"{args[i - 1]} needs a positive whole number.");
            o = args[i] switch
            {
                "--sources" => o with { Sources = Next().Split(',').Select(s => s.Trim().ToLowerInvariant()).ToHashSet() },
                "--repos" => o with { Repos = Int() },
                "--pulls" => o with { Pulls = Int() },
                "--issues" => o with { Issues = Int() },
                "--changes" => o with { Changes = Int() },
                "--parallelism" => o with { Parallelism = Int() },
                "--runs" => o with { Runs = Math.Min(Int(), 3) },
                "--keep" => o with { Keep = true },
                "--verbose" => o with { Verbose = true },
                _ => throw new ArgumentException($"Unknown option {args[i]}. Options: --sources github,jira --repos 2000 --pulls 50 --issues 50000 --changes 20 --parallelism 4 --runs 3 --keep --verbose"),
            };
        }

        return o;
    }
}
