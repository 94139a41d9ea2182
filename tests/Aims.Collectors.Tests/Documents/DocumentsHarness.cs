using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Tests.Documents;

/// <summary>Runs a documents source's jobs into a folder store in a temp folder, at a fixed time, and reads back what landed.</summary>
public sealed class DocumentsHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 12, 1, 2, 0, 0, TimeSpan.Zero);

    private readonly TempDirectory _dir = new();

    public DocumentsHarness()
    {
        Store = new FolderEvidenceStore(_dir.Combine("store"));
    }

    public FolderEvidenceStore Store { get; }

    /// <summary>The temp folder (configuration base directory).</summary>
    public string Folder => _dir.Path;

    public SourceContext Context { get; } = new(new FixedClock(Now), NullLoggerFactory.Instance, ".");

    public static IConfigurationSection Section(string path, IEnumerable<KeyValuePair<string, string?>> settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Where(kv => kv.Value is not null).Select(kv => new KeyValuePair<string, string?>($"{path}:{kv.Key}", kv.Value)))
            .Build()
            .GetSection(path);

    public EvidenceRecorder Recorder(CollectionJob job) =>
        new(Store, job, new CollectorIdentity("documents", "test", "DocumentsCollector", "test"), RequirementSet.LoadDefaults(), new FixedClock(Now));

    /// <summary>Plans and runs every job; returns the items stored by this run.</summary>
    public async Task<List<EvidenceItem>> RunAsync(IEvidenceCollector collector, string runId = "run-1")
    {
        await foreach (var job in collector.PlanAsync(new CollectionPlan(runId, new EvidencePeriod(Now.AddYears(-1), Now))))
        {
            await collector.CollectAsync(job, Recorder(job));
        }

        return (await ItemsAsync()).Where(i => i.RunId == runId).ToList();
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

    public void Dispose() => _dir.Dispose();

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
