using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Microsoft.Extensions.Configuration;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>
/// A small HTTP source for tests (<c>Aims:Sources:Probe</c>: <c>BaseUrl</c>, <c>Projects</c>): one job per project;
/// each job GETs <c>{BaseUrl}projects/{name}/incidents</c> and records the answer as <c>ticket.incidents</c> evidence.
/// Like a real collector it lets a failed request throw, so the handler's retry decisions can be seen.
/// </summary>
public sealed class ProbeSource : IEvidenceSource
{
    public const string Kind = "ticket.incidents";

    public string Name => "Probe";

    public string Family => "ticketing";

    public SourceState Describe(IConfigurationSection section) =>
        new(Family, Name, !string.IsNullOrWhiteSpace(section["BaseUrl"]), $"probe {section["BaseUrl"]}");

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context)
    {
        var baseUrl = section["BaseUrl"] ?? throw new InvalidSettingException($"{section.Path}:BaseUrl", "is required.");
        var projects = (section["Projects"] ?? "alpha").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new ProbeCollector(context.CreateHttpClient(new Uri(baseUrl)), projects);
    }

    private sealed class ProbeCollector(HttpClient http, IReadOnlyList<string> projects) : IEvidenceCollector
    {
        public string Source => "Probe";

        public IReadOnlyList<string> Kinds => [Kind];

        public async IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var project in projects)
            {
                yield return new CollectionJob(plan.RunId, $"probe:{project}", Source, plan.Period, new Dictionary<string, string> { ["project"] = project });
            }

            await Task.CompletedTask;
        }

        public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
        {
            var project = job.Parameter("project")!;
            var path = $"projects/{project}/incidents";
            using var response = await http.GetAsync(path, cancellationToken);
            response.EnsureSuccessStatusCode();
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            await sink.EmitAsync(new EvidenceDraft
            {
                Kind = Kind,
                Subject = new Subject("project", project, project),
                Locator = path,
                Summary = $"Incidents of {project}",
                Facts = new JsonObject { ["answer"] = body },
                Period = job.Period,
            }, cancellationToken);
        }
    }
}
