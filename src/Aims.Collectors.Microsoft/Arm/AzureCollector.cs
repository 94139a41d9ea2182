using System.Runtime.CompilerServices;
using Aims.Evidence.Collection;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.ResourceManager;
using Azure.ResourceManager.Resources;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// Collects Azure evidence through Azure.ResourceManager: one job per subscription, so one subscription failing
/// (no access, outages) never holds up another. Within a job each kind is attempted even when another failed.
/// </summary>
internal sealed class AzureCollector(AzureSettings settings, TokenCredential credential, HttpMessageHandler? handler, TimeProvider time, ILogger logger) : IEvidenceCollector
{
    public const string SubscriptionParameter = "subscription";

    private static readonly IArmArea[] Areas =
    [
        new AiResourcesArea(),
        new ModelDeploymentsArea(),
        new DiagnosticSettingsArea(),
        new RoleAssignmentsArea(),
        new PolicyComplianceArea(),
        new ActivityLogArea(),
    ];

    public string Source => AzureSource.SourceName;

    public IReadOnlyList<string> Kinds { get; } = Areas.Select(a => a.Kind).ToArray();

    public CollectorIdentity Identity => new("azure", settings.Environment.Endpoint.AbsoluteUri.TrimEnd('/'), "azure", Evidence.ProductVersion.Current);

    public async IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        foreach (var subscription in settings.Subscriptions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new CollectionJob(
                plan.RunId,
                $"azure:{subscription}",
                Source,
                plan.Period,
                new Dictionary<string, string>(StringComparer.Ordinal) { [SubscriptionParameter] = subscription });
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        var subscriptionId = job.Parameter(SubscriptionParameter) is { } s && Guid.TryParse(s, out var id)
            ? id.ToString("D")
            : throw new FormatException($"Job '{job.JobId}' of source {Source} needs the parameter '{SubscriptionParameter}' holding a subscription id; it has '{job.Parameter(SubscriptionParameter)}'.");

        AzureLog.Collecting(logger, subscriptionId, job.JobId);
        var arm = CreateClient(subscriptionId);
        var subscriptionResource = SubscriptionResource.CreateResourceIdentifier(subscriptionId);
        var rest = new ArmRestClient(arm, subscriptionResource);
        var displayName = await SubscriptionNameAsync(arm, subscriptionResource, cancellationToken).ConfigureAwait(false);
        var scope = new SubscriptionScope(arm, rest, subscriptionId, AzureSubjects.Subscription(subscriptionId, displayName), job, sink, time, logger);

        var inventory = await AiInventory.ReadAsync(scope, cancellationToken).ConfigureAwait(false);
        foreach (var area in Areas)
        {
            await area.CollectAsync(scope, inventory, cancellationToken).ConfigureAwait(false);
        }

        AzureLog.Collected(logger, subscriptionId, scope.Emitted, scope.Errors);
    }

    private ArmClient CreateClient(string subscriptionId)
    {
        var options = new ArmClientOptions { Environment = settings.Environment };
        options.Retry.MaxRetries = settings.MaxRetries;
        if (handler is not null)
        {
            options.Transport = new HttpClientTransport(handler);
        }

        return new ArmClient(credential, subscriptionId, options);
    }

    /// <summary>The display name makes the digest readable; without it the subscription id serves.</summary>
    private async Task<string?> SubscriptionNameAsync(ArmClient arm, ResourceIdentifier subscription, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = await ArmFailure.CallAsync(
                ArmOperations.Subscription,
                () => arm.GetSubscriptionResource(subscription).GetAsync(cancellationToken),
                cancellationToken).ConfigureAwait(false);
            return response.Value.Data.DisplayName;
        }
        catch (ArmCallException ex)
        {
            AzureLog.Detail(logger, $"subscription name not read: {ex.Message}");
            return null;
        }
    }
}
