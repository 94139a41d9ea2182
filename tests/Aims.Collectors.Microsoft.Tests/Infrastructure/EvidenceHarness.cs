using System.Text;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Collectors.Microsoft.Tests.Infrastructure;

/// <summary>
/// Runs a collector's planned jobs into a real <see cref="FolderEvidenceStore"/> in a temp folder, through
/// <see cref="EvidenceRecorder"/>, and reads back what landed.
/// </summary>
public sealed class EvidenceHarness : IDisposable
{
    public static readonly DateTimeOffset Now = new(2025, 7, 2, 9, 0, 0, TimeSpan.Zero);
    public static readonly EvidencePeriod Period = new(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));

    private readonly TempDirectory _folder = new("aims-ms");
    private readonly List<HttpMessageHandler> _handlers = [];

    public EvidenceHarness()
    {
        Store = new FolderEvidenceStore(_folder.Path, Time);
    }

    public FakeTimeProvider Time { get; } = new(Now);

    public FolderEvidenceStore Store { get; }

    /// <summary>The store's folder (tests that damage what is kept there).</summary>
    public string StorePath => _folder.Path;

    public FakeTokenCredential Credential { get; } = new();

    public List<CollectionJob> Jobs { get; } = [];

    /// <summary>The period runs are planned for (<see cref="Period"/> unless a test needs another).</summary>
    public EvidencePeriod PlanPeriod { get; set; } = Period;

    public static IConfigurationSection Section(string path, Dictionary<string, string?> values)
    {
        var prefixed = values.ToDictionary(kv => $"{path}:{kv.Key}", kv => kv.Value);
        return new ConfigurationBuilder().AddInMemoryCollection(prefixed).Build().GetSection(path);
    }

    public SourceContext Context(FakeApi api)
    {
        var handler = api.Server.CreateClientHandler();
        _handlers.Add(handler);
        return new(Time, NullLoggerFactory.Instance, _folder.Path, handler, Credential);
    }

    /// <summary>Plans and runs every job of the collector; returns the items stored.</summary>
    public async Task<IReadOnlyList<EvidenceItem>> RunAsync(IEvidenceCollector collector, string runId = "run-1")
    {
        var requirements = RequirementSet.LoadDefaults();
        await foreach (var job in collector.PlanAsync(new CollectionPlan(runId, PlanPeriod)))
        {
            Jobs.Add(job);
            var recorder = new EvidenceRecorder(Store, job, new CollectorIdentity(collector.Source.ToLowerInvariant(), "test", collector.Source, "0.1.0"), requirements, Time);
            await collector.CollectAsync(job, recorder);
        }

        return await ItemsAsync();
    }

    public async Task<IReadOnlyList<EvidenceItem>> ItemsAsync()
    {
        var items = new List<EvidenceItem>();
        await foreach (var id in Store.ListItemIdsAsync())
        {
            items.Add((await Store.GetItemAsync(id))!);
        }

        return items;
    }

    /// <summary>The raw payload of an item, as text.</summary>
    public async Task<string> RawAsync(EvidenceItem item)
    {
        await using var stream = await Store.OpenRawAsync(item.RawSha256!) ?? throw new InvalidOperationException($"No raw payload for {item.Id}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadToEndAsync();
    }

    /// <summary>Every byte the store holds, as text (items, raw payloads, index, ledger).</summary>
    public string AllStoredText() =>
        string.Concat(Directory.EnumerateFiles(_folder.Path, "*", SearchOption.AllDirectories).Select(File.ReadAllText));

    public void Dispose()
    {
        foreach (var handler in _handlers)
        {
            handler.Dispose();
        }

        _folder.Dispose();
    }
}
