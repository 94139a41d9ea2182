using System.Runtime.CompilerServices;
using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Azure.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// Collects Entra ID evidence through the Microsoft Graph SDK. One job per evidence area (kind), so a failing area
/// (a missing permission, a throttled endpoint) never holds up the others.
/// </summary>
/// <param name="state">Collector state from the host (<see cref="SourceContext.State"/>); null = no delta re-runs.</param>
internal sealed class EntraIdCollector(
    EntraIdSettings settings,
    TokenCredential credential,
    HttpMessageHandler handler,
    ILogger logger,
    TimeProvider time,
    ICollectorState? state = null) : IEvidenceCollector
{
    public const string KindParameter = "kind";

    private static readonly IEntraArea[] Areas =
    [
        new GroupMembersArea(),
        new RoleAssignmentsArea(),
        new AiAppsArea(),
        new ThirdPartyAppsArea(),
        new AccessReviewsArea(),
        new ConditionalAccessArea(),
        new AuditLogsArea(),
    ];

    public string Source => EntraIdSource.SourceName;

    public IReadOnlyList<string> Kinds { get; } = Areas.Select(a => a.Kind).ToArray();

    public async IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var area in Areas.Where(a => a.IsConfigured(settings)))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CollectionJob(
                plan.RunId,
                $"entraid:{area.Kind["entra.".Length..]}",
                Source,
                plan.Period,
                new Dictionary<string, string>(StringComparer.Ordinal) { [KindParameter] = area.Kind });
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        var kind = job.Parameter(KindParameter);
        var area = Areas.FirstOrDefault(a => a.Kind == kind)
            ?? throw new FormatException($"Job '{job.JobId}' of source {Source} needs the parameter '{KindParameter}' naming one of {string.Join(", ", Kinds)}; it has '{kind}'.");

        EntraLog.Collecting(logger, area.Kind, job.JobId);
        using var client = CreateClient();
        var scope = new EntraJobScope(client, settings, job, sink, logger, time, state);
        await area.CollectAsync(scope, cancellationToken).ConfigureAwait(false);
        EntraLog.Collected(logger, area.Kind, scope.Emitted);
    }

    private GraphServiceClient CreateClient() => GraphClients.Create(settings.BaseUrl, settings.Scope, credential, handler);
}
