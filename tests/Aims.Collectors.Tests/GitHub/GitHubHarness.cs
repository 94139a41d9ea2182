using System.Text.Json.Nodes;
using Aims.Collectors.GitHub;
using Aims.Collectors.Http;
using Aims.Collectors.Sources;
using Aims.Collectors.Tests.Http;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Tests.GitHub;

/// <summary>
/// A fake GitHub, a real folder evidence store in a temp folder, a fast-forward clock, and the collector built from
/// configuration through <see cref="GitHubSource"/>, as the pipeline builds it.
/// </summary>
internal sealed class GitHubHarness : IAsyncDisposable
{
    public static readonly EvidencePeriod Period = new(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 4, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>Deliberately not credential-shaped, so the redactor would not hide it if the collector leaked it.</summary>
    public const string Token = "test-token-7Hq2Zp9Lx4Vb";

    private GitHubHarness(FakeGitHub fake)
    {
        Fake = fake;
        Temp = new TempDirectory("aims-github");
        Clock = new FastForwardTimeProvider(new DateTimeOffset(2025, 4, 2, 6, 0, 0, TimeSpan.Zero));
        Store = new FolderEvidenceStore(Temp.Combine("store"), Clock);
        Settings = new Dictionary<string, string?>
        {
            ["BaseUrl"] = fake.ApiRoot.AbsoluteUri,
            ["Token"] = Token,
            ["Repositories"] = "contoso/fraud-model",
        };
    }

    public FakeGitHub Fake { get; }

    public TempDirectory Temp { get; }

    public FastForwardTimeProvider Clock { get; }

    public FolderEvidenceStore Store { get; }

    /// <summary>Settings under <c>Aims:Sources:GitHub</c>; change them before <see cref="CreateCollector"/>.</summary>
    public Dictionary<string, string?> Settings { get; }

    public IResponseCache? Cache { get; set; }

    /// <summary>Plain HTTP on 127.0.0.1 by default (the settings allow it for loopback only); <paramref name="https"/> serves TLS.</summary>
    public static async Task<GitHubHarness> StartAsync(string prefix = "", bool https = false) => new(await FakeGitHub.StartAsync(prefix, https));

    public IConfigurationSection Section() =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(Settings.Select(s => new KeyValuePair<string, string?>($"Aims:Sources:GitHub:{s.Key}", s.Value)))
            .Build()
            .GetSection("Aims:Sources:GitHub");

    public SourceContext Context() => new(Clock, NullLoggerFactory.Instance, Temp.Path, Fake.CreateClientHandler(), ResponseCache: Cache);

    public GitHubCollector CreateCollector() => (GitHubCollector)new GitHubSource().Create(Section(), Context());

    public CollectionJob Job(string repositories, string runId = "run-1", string jobId = "github:0001") =>
        new(runId, jobId, "GitHub", Period, new Dictionary<string, string> { ["repositories"] = repositories });

    /// <summary>Runs one job into the store through an <see cref="EvidenceRecorder"/>, as the pipeline does.</summary>
    public async Task<EvidenceRecorder> CollectAsync(GitHubCollector collector, CollectionJob job)
    {
        var recorder = new EvidenceRecorder(Store, job, collector.Identity, RequirementSet.LoadDefaults(), Clock);
        await collector.CollectAsync(job, recorder);
        return recorder;
    }

    public Task<EvidenceRecorder> CollectAsync(string repositories, string runId = "run-1") =>
        CollectAsync(CreateCollector(), Job(repositories, runId));

    public async Task<List<EvidenceItem>> ItemsAsync(string? runId = null)
    {
        var items = new List<EvidenceItem>();
        await foreach (var id in Store.ListItemIdsAsync())
        {
            var item = (await Store.GetItemAsync(id))!;
            if (runId is null || item.RunId == runId)
            {
                items.Add(item);
            }
        }

        return items;
    }

    public async Task<EvidenceItem> ItemAsync(string kind, string subjectId, string? runId = null)
    {
        var matches = (await ItemsAsync(runId)).Where(i => i.Kind == kind && i.Subject.Id == subjectId).ToList();
        return Assert.Single(matches);
    }

    public async Task<List<EvidenceItem>> ErrorsAsync(string subjectId) =>
        (await ItemsAsync()).Where(i => i.IsCollectorError && i.Subject.Id == subjectId).ToList();

    public async Task<JsonNode> RawAsync(EvidenceItem item)
    {
        await using var stream = await Store.OpenRawAsync(item.RawSha256!);
        return (await JsonNode.ParseAsync(stream!))!;
    }

    public async ValueTask DisposeAsync()
    {
        await Fake.DisposeAsync();
        Temp.Dispose();
    }
}
