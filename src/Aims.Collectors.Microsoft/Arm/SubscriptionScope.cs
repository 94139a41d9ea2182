using System.Text.Json.Nodes;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Azure.ResourceManager;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>Everything one subscription job needs: the ARM client and its REST pipeline, the job and the sink.</summary>
internal sealed class SubscriptionScope(
    ArmClient arm,
    ArmRestClient rest,
    string subscriptionId,
    Subject subscription,
    CollectionJob job,
    IEvidenceSink sink,
    TimeProvider time,
    ILogger logger)
{
    public ArmClient Arm { get; } = arm;

    public ArmRestClient Rest { get; } = rest;

    public string SubscriptionId { get; } = subscriptionId;

    public Subject Subscription { get; } = subscription;

    public CollectionJob Job { get; } = job;

    public TimeProvider Time { get; } = time;

    public ILogger Logger { get; } = logger;

    public int Emitted { get; private set; }

    public int Errors { get; private set; }

    public string SubscriptionPath => $"/subscriptions/{SubscriptionId}";

    public string Locator(string pathAndQuery) => $"{Rest.BaseUri.GetLeftPart(UriPartial.Authority)}{pathAndQuery}";

    public async Task EmitAsync(string kind, Subject subject, string path, string summary, JsonObject facts, JsonNode raw, EvidencePeriod? period = null, CancellationToken cancellationToken = default)
    {
        await sink.EmitWithRawAsync(
            new EvidenceDraft { Kind = kind, Subject = subject, Locator = Locator(path), Summary = summary, Facts = facts, Period = period },
            raw,
            cancellationToken).ConfigureAwait(false);
        Emitted++;
    }

    public async Task ReportAsync(Subject subject, string kind, string path, string error, JsonObject? partialFacts = null, CancellationToken cancellationToken = default)
    {
        AzureLog.CollectorError(Logger, kind, subject.Key, error);
        Errors++;
        await sink.ReportErrorAsync(subject, kind, Locator(path), error, partialFacts, cancellationToken).ConfigureAwait(false);
    }

    public Task ReportAsync(Subject subject, string kind, ArmCallException failure, string path, CancellationToken cancellationToken = default) =>
        ReportAsync(subject, kind, path, failure.Message, cancellationToken: cancellationToken);
}
