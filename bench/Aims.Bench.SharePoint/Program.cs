using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.SharePoint;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Collectors.Microsoft.Tests.SharePoint;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

// SharePoint benchmark: dotnet run -c Release --project bench/Aims.Bench.SharePoint [-- --documents 1000 --kilobytes 256 --changes 20]
// A library of N governed documents (a quarter Markdown with front matter, the rest PDFs/DOCX described by columns,
// one in ten outside the governed folders) is collected four times, with collector state (as the hosts run it) and,
// side by side, without it (the reference: every run a full read).
var documents = Arg("--documents", 1000);
var kilobytes = Arg("--kilobytes", 256);
var changes = Arg("--changes", 20);
var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Split(' ')[0] : "n/a";
Console.WriteLine($"Machine: {Environment.ProcessorCount} logical CPUs, {RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, load average {load}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
Console.WriteLine($"Library: {documents:N0} files of {kilobytes} KB; {changes} column edits and {changes / 2} new versions before run 3");

var rows = new List<string>();
foreach (var withState in args.Contains("--reference-first") ? new[] { false, true } : new[] { true, false })
{
    await using var api = await FakeApi.StartAsync();
    var site = new FakeSharePoint(api) { PageSize = 200 }.Map();
    Fill(site, documents, kilobytes);
    var folder = Path.Combine(Path.GetTempPath(), $"aims-bench-sharepoint-{Environment.ProcessId}-{withState}");
    Directory.CreateDirectory(folder);
    try
    {
        var store = new FolderEvidenceStore(folder, TimeProvider.System);
        using var handler = api.Server.CreateClientHandler();
        var label = withState ? "with collector state" : "reference: no state (full read)";
        rows.Add(await RunAsync(api, store, handler, folder, withState, $"1. first run, {label}", "run-1"));
        rows.Add(await RunAsync(api, store, handler, folder, withState, $"2. re-run, nothing changed, {label}", "run-2"));
        var ids = site.Files.Where(f => f.Folder != "Drafts").Select(f => f.Id).Order(StringComparer.Ordinal).ToList();
        for (var c = 0; c < changes; c++)
        {
            site.ChangeField(ids[c * 7 % ids.Count], "ReviewDue", "2028-01-31T00:00:00Z");
        }

        for (var c = 0; c < changes / 2; c++)
        {
            var file = site.File(ids[(c * 11 + 3) % ids.Count]);
            site.ChangeContent(file.Id, Encoding.UTF8.GetString(file.Content) + "\nrevised");
        }

        rows.Add(await RunAsync(api, store, handler, folder, withState, $"3. re-run after {changes} column edits and {changes / 2} new versions, {label}", "run-3"));
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}

Console.WriteLine();
Console.WriteLine("| run | Graph requests | downloads | MB downloaded | wall time | documents stored | collector errors |");
Console.WriteLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
rows.ForEach(Console.WriteLine);

static async Task<string> RunAsync(FakeApi api, FolderEvidenceStore store, HttpMessageHandler handler, string folder, bool withState, string name, string runId)
{
    var section = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
    {
        ["Aims:Sources:SharePoint:BaseUrl"] = $"{api.Root}/v1.0",
        ["Aims:Sources:SharePoint:Libraries:0:Site"] = FakeSharePoint.SiteUrl,
        ["Aims:Sources:SharePoint:Libraries:0:Library"] = "Governance Documents",
        ["Aims:Sources:SharePoint:Libraries:0:Folders:0"] = "Policies",
        ["Aims:Sources:SharePoint:Libraries:0:Folders:1"] = "Assessments",
    }).Build().GetSection("Aims:Sources:SharePoint");
    var context = new SourceContext(TimeProvider.System, NullLoggerFactory.Instance, folder, handler, new FakeTokenCredential());
    var collector = new SharePointSource().Create(section, withState ? context.WithStore(store) : context);
    var requirements = RequirementSet.LoadDefaults();
    api.ClearRequests();
    var wall = Stopwatch.StartNew();
    var stored = 0;
    var errors = 0;
    await foreach (var job in collector.PlanAsync(new CollectionPlan(runId, new EvidencePeriod(DateTimeOffset.UnixEpoch, TimeProvider.System.GetUtcNow()))))
    {
        var recorder = new EvidenceRecorder(store, job, new CollectorIdentity("documents", "bench", collector.Source, "0.1.0"), requirements, TimeProvider.System);
        await collector.CollectAsync(job, recorder);
        stored += recorder.Created + recorder.AlreadyStored - recorder.Errors;
        errors += recorder.Errors;
    }

    wall.Stop();
    var downloads = api.Requests.Where(r => r.Path.StartsWith("/download/", StringComparison.Ordinal)).ToList();
    var site = api.Requests.Count(r => r.Path.StartsWith("/v1.0/", StringComparison.Ordinal));
    var bytes = downloads.Sum(d => SizeOf(d.Path));
    return string.Create(CultureInfo.InvariantCulture, $"| {name} | {site:N0} | {downloads.Count:N0} | {bytes / 1024.0 / 1024.0:0.0} | {wall.Elapsed.TotalSeconds:0.0} s | {stored:N0} | {errors} |");

    long SizeOf(string path) => Sizes.TryGetValue(path["/download/".Length..], out var size) ? size : 0;
}

static void Fill(FakeSharePoint site, int count, int kilobytes)
{
    var random = new Random(42);
    string[] types = ["ai-policy", "impact-assessment", "technical-documentation", "supplier-management", "management-review"];
    for (var i = 0; i < count; i++)
    {
        var id = $"01DOC{i:D6}";
        var folder = i % 10 == 9 ? "Drafts" : i % 2 == 0 ? "Policies" : "Assessments";
        var type = types[i % types.Length];
        if (i % 4 == 0)
        {
            var body = new StringBuilder($"---\ntype: {type}\ntitle: Document {i}\napproved-by: Dana Whitfield\napproved-on: 2026-03-10\nreview-due: 2027-03-10\n---\n");
            while (body.Length < kilobytes * 1024)
            {
                body.Append("The model is monitored monthly; drift above the threshold opens an incident.\n");
            }

            site.Add(id, folder, $"document-{i}.md", body.ToString());
        }
        else
        {
            var bytes = new byte[kilobytes * 1024];
            random.NextBytes(bytes);
            "%PDF-1.7\n"u8.CopyTo(bytes);
            site.Add(id, folder, $"document-{i}.pdf", bytes, new JsonObject
            {
                ["Title"] = $"Document {i}",
                ["DocumentType"] = type,
                ["ApprovedBy"] = "Dana Whitfield",
                ["ApprovalDate"] = "2026-03-10T00:00:00Z",
                ["ReviewDue"] = "2027-03-10T00:00:00Z",
            });
        }

        Sizes[id] = site.File(id).Content.Length;
    }
}

int Arg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length && int.TryParse(args[index + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
}

/// <summary>File sizes by item id, for the MB-downloaded column (the download URL names the item).</summary>
internal static partial class Program
{
    public static readonly Dictionary<string, long> Sizes = new(StringComparer.Ordinal);
}
