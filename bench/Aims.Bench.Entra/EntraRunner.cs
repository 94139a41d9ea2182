using System.Diagnostics;
using Aims.Collectors.Microsoft.Entra;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Bench.Entra;

/// <summary>What one run cost: requests per job and per endpoint, and wall time.</summary>
internal sealed record RunResult(string Name, TimeSpan Wall, IReadOnlyDictionary<string, int> ByJob, IReadOnlyDictionary<string, TimeSpan> JobTime, IReadOnlyDictionary<string, int> ByEndpoint, int Items, int Errors)
{
    public int Total => ByJob.Values.Sum();
}

/// <summary>
/// Runs every Entra job the way the hosts do: the source builds the collector from configuration and a
/// <see cref="SourceContext"/> with the store's response cache and collector state, and each job's items go through
/// an <see cref="EvidenceRecorder"/> into a <see cref="FolderEvidenceStore"/>.
/// </summary>
internal sealed class EntraRunner(BenchTenant tenant, FakeGraph graph, LocalHttpServer server, string folder)
{
    private static readonly EvidencePeriod Period = new(new DateTimeOffset(2025, 6, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2025, 7, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly FolderEvidenceStore _store = new(folder, TimeProvider.System);
    private readonly RequirementSet _requirements = RequirementSet.LoadDefaults();
    private readonly HttpMessageHandler _handler = server.CreateClientHandler();
    private int _runs;

    public async Task<RunResult> RunAsync(string name)
    {
        var runId = $"bench-{++_runs}";
        var settings = new Dictionary<string, string?>
        {
            ["Aims:Sources:EntraId:BaseUrl"] = $"{server.BaseUri.GetLeftPart(UriPartial.Authority)}/v1.0",
            ["Aims:Sources:EntraId:TenantId"] = BenchTenant.TenantId,
        };
        var i = 0;
        foreach (var group in tenant.ConfiguredGroupIds)
        {
            settings[$"Aims:Sources:EntraId:Groups:{i++}"] = group;
        }

        i = 0;
        foreach (var app in tenant.ConfiguredAppIds)
        {
            settings[$"Aims:Sources:EntraId:Apps:{i++}"] = app;
        }

        var section = new ConfigurationBuilder().AddInMemoryCollection(settings).Build().GetSection("Aims:Sources:EntraId");
        var context = new SourceContext(TimeProvider.System, NullLoggerFactory.Instance, folder, _handler, new FakeTokenCredential()).WithStore(_store);
        var collector = new EntraIdSource().Create(section, context);

        graph.TakeCounts();
        var byJob = new Dictionary<string, int>(StringComparer.Ordinal);
        var jobTime = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var byEndpoint = new Dictionary<string, int>(StringComparer.Ordinal);
        var wall = Stopwatch.StartNew();
        await foreach (var job in collector.PlanAsync(new CollectionPlan(runId, Period)))
        {
            var recorder = new EvidenceRecorder(_store, job, new CollectorIdentity("entraid", "bench", collector.Source, "0.1.0"), _requirements, TimeProvider.System);
            var jobWall = Stopwatch.StartNew();
            await collector.CollectAsync(job, recorder);
            jobTime[job.JobId] = jobWall.Elapsed;
            var counts = graph.TakeCounts();
            byJob[job.JobId] = counts.Values.Sum();
            foreach (var (endpoint, count) in counts)
            {
                byEndpoint[endpoint] = byEndpoint.GetValueOrDefault(endpoint) + count;
            }
        }

        wall.Stop();
        var items = 0;
        var errors = 0;
        await foreach (var id in _store.ListItemIdsAsync())
        {
            var item = await _store.GetItemAsync(id);
            if (item?.RunId == runId)
            {
                items++;
                errors += item.IsCollectorError ? 1 : 0;
            }
        }

        return new RunResult(name, wall.Elapsed, byJob, jobTime, byEndpoint, items, errors);
    }
}
