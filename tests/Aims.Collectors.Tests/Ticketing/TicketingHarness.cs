using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Collectors.Sources;
using Aims.Collectors.Tests.GitHub;
using Aims.Collectors.Tests.Http;
using Aims.Collectors.Ticketing.GitHubIssues;
using Aims.Collectors.Ticketing.Jira;
using Aims.Collectors.Ticketing.ServiceNow;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>
/// A fake provider on 127.0.0.1 (the routing fake from the GitHub tests: routes by method and path, records requests with
/// their bodies), a real folder evidence store in a temp folder, a fast-forward clock, and the collector built from
/// configuration through its <see cref="IEvidenceSource"/>, as the pipeline builds it.
/// </summary>
internal sealed class TicketingHarness : IAsyncDisposable
{
    public static readonly EvidencePeriod Period = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Deliberately not credential-shaped, so the redactor would not hide them if a collector leaked them.</summary>
    public const string Secret = "test-secret-Qm4Zr8Lx2Vb";

    public const string BearerSecret = "test-bearer-Hn3Tq7Wc5Ys";

    private readonly IEvidenceSource _source;

    private TicketingHarness(FakeGitHub fake, IEvidenceSource source, Dictionary<string, string?> settings)
    {
        Fake = fake;
        _source = source;
        Temp = new TempDirectory("aims-ticketing");
        Clock = new FastForwardTimeProvider(new DateTimeOffset(2025, 4, 2, 6, 0, 0, TimeSpan.Zero));
        Store = new FolderEvidenceStore(Temp.Combine("store"), Clock);
        Settings = settings;
    }

    public FakeGitHub Fake { get; }

    public TempDirectory Temp { get; }

    public FastForwardTimeProvider Clock { get; }

    public FolderEvidenceStore Store { get; }

    /// <summary>Settings under <c>Aims:Sources:{Name}</c>; change them before <see cref="Create"/>.</summary>
    public Dictionary<string, string?> Settings { get; }

    public IResponseCache? Cache { get; set; }

    /// <summary>Collector state for runs after <see cref="Create"/>; null (no state) unless a test sets it.</summary>
    public ICollectorState? State { get; set; }

    public string SectionPath => $"Aims:Sources:{_source.Name}";

    /// <summary>A fake Jira Cloud site with Email and ApiToken configured.</summary>
    public static async Task<TicketingHarness> JiraAsync(string prefix = "", bool https = false)
    {
        var fake = await FakeGitHub.StartAsync(prefix, https);
        fake.ETags = false;
        return new TicketingHarness(fake, new JiraSource(), new Dictionary<string, string?>
        {
            ["BaseUrl"] = fake.ApiRoot.AbsoluteUri,
            ["Email"] = "aims-bot@contoso.example",
            ["ApiToken"] = Secret,
        });
    }

    /// <summary>A fake ServiceNow instance with Username and Password configured.</summary>
    public static async Task<TicketingHarness> ServiceNowAsync()
    {
        var fake = await FakeGitHub.StartAsync();
        fake.ETags = false;
        return new TicketingHarness(fake, new ServiceNowSource(), new Dictionary<string, string?>
        {
            ["BaseUrl"] = fake.ApiRoot.AbsoluteUri,
            ["Username"] = "aims.integration",
            ["Password"] = Secret,
        });
    }

    /// <summary>A fake GitHub with a token and one repository configured.</summary>
    public static async Task<TicketingHarness> GitHubIssuesAsync()
    {
        var fake = await FakeGitHub.StartAsync();
        return new TicketingHarness(fake, new GitHubIssuesSource(), new Dictionary<string, string?>
        {
            ["BaseUrl"] = fake.ApiRoot.AbsoluteUri,
            ["Token"] = Secret,
            ["Repositories"] = "contoso/fraud-model",
        });
    }

    public IConfigurationSection Section() =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(Settings.Select(s => new KeyValuePair<string, string?>($"{SectionPath}:{s.Key}", s.Value)))
            .Build()
            .GetSection(SectionPath);

    public SourceContext Context() => new(Clock, NullLoggerFactory.Instance, Temp.Path, Fake.CreateClientHandler(), ResponseCache: Cache, State: State);

    public IEvidenceCollector Create() => _source.Create(Section(), Context());

    public static CollectorIdentity IdentityOf(IEvidenceCollector collector) => collector switch
    {
        JiraCollector j => j.Identity,
        ServiceNowCollector s => s.Identity,
        GitHubIssuesCollector g => g.Identity,
        _ => throw new ArgumentException($"Not a ticketing collector: {collector.GetType().Name}"),
    };

    public async Task<List<CollectionJob>> PlanAsync(IEvidenceCollector collector, string runId = "run-1")
    {
        var jobs = new List<CollectionJob>();
        await foreach (var job in collector.PlanAsync(new CollectionPlan(runId, Period)))
        {
            jobs.Add(job);
        }

        return jobs;
    }

    /// <summary>Runs one job into the store through an <see cref="EvidenceRecorder"/>, as the pipeline does.</summary>
    public async Task<EvidenceRecorder> RunAsync(IEvidenceCollector collector, CollectionJob job, IAiSystemAttribution? attribution = null)
    {
        var recorder = new EvidenceRecorder(Store, job, IdentityOf(collector), RequirementSet.LoadDefaults(), Clock, attribution);
        await collector.CollectAsync(job, recorder);
        return recorder;
    }

    /// <summary>The run id <see cref="CollectAsync"/> plans with; a later run needs another (the same id is a redelivery).</summary>
    public string RunId { get; set; } = "run-1";

    /// <summary>Plans and runs the jobs (only those of <paramref name="kinds"/> when given).</summary>
    public async Task<IEvidenceCollector> CollectAsync(params string[] kinds)
    {
        var collector = Create();
        foreach (var job in await PlanAsync(collector, RunId))
        {
            if (kinds.Length == 0 || kinds.Contains(job.Parameter("kind")))
            {
                await RunAsync(collector, job);
            }
        }

        return collector;
    }

    public async Task<List<EvidenceItem>> ItemsAsync()
    {
        var items = new List<EvidenceItem>();
        await foreach (var id in Store.ListItemIdsAsync())
        {
            items.Add((await Store.GetItemAsync(id))!);
        }

        return items;
    }

    public async Task<EvidenceItem> ItemAsync(string kind, string subjectId)
    {
        var matches = (await ItemsAsync()).Where(i => i.Kind == kind && i.Subject.Id == subjectId).ToList();
        return Assert.Single(matches);
    }

    public async Task<List<EvidenceItem>> ErrorsAsync() => (await ItemsAsync()).Where(i => i.IsCollectorError).ToList();

    public async Task<JsonObject> RawAsync(EvidenceItem item)
    {
        await using var stream = await Store.OpenRawAsync(item.RawSha256!);
        return (await JsonNode.ParseAsync(stream!))!.AsObject();
    }

    /// <summary>Every file the store holds, as text (items, raw payloads, index, ledger, cache entries).</summary>
    public async Task<List<(string File, string Text)>> StoreFilesAsync()
    {
        var files = new List<(string, string)>();
        foreach (var file in Directory.GetFiles(Store.Root, "*", SearchOption.AllDirectories))
        {
            files.Add((file, await File.ReadAllTextAsync(file)));
        }

        return files;
    }

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        Temp.Dispose();
    }
}
