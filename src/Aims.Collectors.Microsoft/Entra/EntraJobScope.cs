using System.Text.Json.Nodes;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;
using Microsoft.Graph;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>Everything one Entra job needs: the Graph client, the settings, the job, the sink and what the host lends.</summary>
/// <param name="state">Where delta links and snapshots are kept between runs; null = every run reads everything.</param>
internal sealed class EntraJobScope(
    GraphServiceClient client,
    EntraIdSettings settings,
    CollectionJob job,
    IEvidenceSink sink,
    ILogger logger,
    TimeProvider time,
    ICollectorState? state = null,
    SemaphoreSlim? aiAppsGate = null)
{
    /// <summary>
    /// Shared by the jobs one collector runs at once: the first resolves the AI apps and keeps them in state, the
    /// others wait for it and reuse them instead of asking Graph again.
    /// </summary>
    public SemaphoreSlim AiAppsGate { get; } = aiAppsGate ?? new SemaphoreSlim(1, 1);

    public GraphServiceClient Client { get; } = client;

    public EntraIdSettings Settings { get; } = settings;

    public CollectionJob Job { get; } = job;

    public ILogger Logger { get; } = logger;

    public TimeProvider Time { get; } = time;

    public ICollectorState? State { get; } = state;

    /// <summary>The AI apps this run resolved (kept in state for the run's other jobs); null until resolved or without state.</summary>
    public AiAppRunCache? AiApps { get; set; }

    /// <summary>Items emitted so far (collector errors not counted).</summary>
    public int Emitted { get; private set; }

    /// <summary>A locator relative to the Graph root, e.g. <c>https://graph.microsoft.com/v1.0/groups/{id}/members</c>.</summary>
    public string Locator(string path) => $"{Settings.BaseUrl}{path}";

    /// <summary>Stores the provider JSON as the raw payload, then the item that points at it.</summary>
    public async Task EmitAsync(string kind, Subject subject, string path, string summary, JsonObject facts, JsonNode raw, EvidencePeriod? period = null, CancellationToken cancellationToken = default)
    {
        await sink.EmitWithRawAsync(
            new EvidenceDraft { Kind = kind, Subject = subject, Locator = Locator(path), Summary = summary, Facts = facts, Period = period },
            raw,
            cancellationToken).ConfigureAwait(false);
        Emitted++;
    }

    /// <summary>Records that <paramref name="kind"/> could not be observed for <paramref name="subject"/>, and logs it.</summary>
    public async Task ReportAsync(Subject subject, string kind, string path, string error, JsonObject? partialFacts = null, CancellationToken cancellationToken = default)
    {
        EntraLog.CollectorError(Logger, kind, subject.Key, error);
        await sink.ReportErrorAsync(subject, kind, Locator(path), error, partialFacts, cancellationToken).ConfigureAwait(false);
    }

    public Task ReportAsync(Subject subject, string kind, GraphCallException failure, JsonObject? partialFacts = null, CancellationToken cancellationToken = default) =>
        ReportAsync(subject, kind, failure.Operation.Path, failure.Message, partialFacts, cancellationToken);
}
