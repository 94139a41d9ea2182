using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// <c>azure.activity-log</c>: administrative activity-log events on AI resources (Cognitive Services and Machine
/// Learning providers) over the job's period, with model-deployment changes marked (A.6.2.5). The time range and the
/// provider go into <c>$filter</c>. The activity log keeps 90 days, so an older period start is clamped and the facts
/// say so. One item per subscription.
/// </summary>
internal sealed class ActivityLogArea : IArmArea
{
    private static readonly TimeSpan Retention = TimeSpan.FromDays(90);
    private static readonly string[] Providers = ["Microsoft.CognitiveServices", "Microsoft.MachineLearningServices"];
    private const string Select = "eventTimestamp,operationName,status,subStatus,caller,resourceId,correlationId,eventDataId,level,category";

    public string Kind => "azure.activity-log";

    public async Task CollectAsync(SubscriptionScope scope, AiInventory inventory, CancellationToken cancellationToken = default)
    {
        var period = scope.Job.Period;
        var earliest = scope.Time.GetUtcNow() - Retention;
        var from = period.From < earliest ? earliest : period.From;
        var operation = ArmOperations.ActivityLog;
        var path = $"{scope.SubscriptionPath}/providers/Microsoft.Insights/eventtypes/management/values";
        var events = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        var filters = new List<string>();
        var paging = new ArmPaging();
        try
        {
            foreach (var provider in Providers)
            {
                var filter = $"eventTimestamp ge '{Timestamp(from)}' and eventTimestamp le '{Timestamp(period.To)}' and resourceProvider eq '{provider}'";
                filters.Add(filter);
                var url = scope.Rest.UrlFor(path, operation, [new("$filter", filter), new("$select", Select)]);
                await foreach (var e in scope.Rest.ListAsync(operation, url, paging, cancellationToken).ConfigureAwait(false))
                {
                    if (!string.Equals(ArmJson.Text(e, "category.value"), "Administrative", StringComparison.OrdinalIgnoreCase)
                        || ArmJson.Text(e, "eventDataId") is not { } id
                        || !DateTimeOffset.TryParse(ArmJson.Text(e, "eventTimestamp"), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var at)
                        || at < from || at >= period.To)
                    {
                        continue;
                    }

                    events[id] = e;
                }
            }
        }
        catch (ArmCallException ex)
        {
            await scope.ReportAsync(scope.Subscription, Kind, ex, path, cancellationToken).ConfigureAwait(false);
            return;
        }

        var ordered = events.Values.OrderBy(e => ArmJson.Text(e, "eventTimestamp"), StringComparer.Ordinal).ThenBy(e => ArmJson.Text(e, "eventDataId"), StringComparer.Ordinal).ToList();
        var entries = ordered.Select(e => (JsonNode)Facts.Object(
            ("eventDataId", ArmJson.Text(e, "eventDataId")),
            ("eventTimestamp", ArmJson.Time(e, "eventTimestamp")),
            ("operationName", ArmJson.Text(e, "operationName.value")),
            ("status", ArmJson.Text(e, "status.value")),
            ("subStatus", ArmJson.Text(e, "subStatus.value") is { Length: > 0 } sub ? sub : null),
            ("caller", ArmJson.Text(e, "caller")),
            ("resourceId", ArmJson.Id(e, "resourceId")),
            ("correlationId", ArmJson.Text(e, "correlationId")),
            ("level", ArmJson.Text(e, "level")),
            ("deploymentChange", IsDeploymentChange(ArmJson.Text(e, "operationName.value"))))).ToList();
        var facts = Facts.Object(
            ("subscriptionId", scope.SubscriptionId),
            ("resourceProviders", Facts.SetOrEmpty(Providers)),
            ("from", Facts.Time(from)),
            ("to", Facts.Time(period.To)),
            ("clampedToRetention", from > period.From),
            ("eventCount", entries.Count),
            ("deploymentChangeCount", entries.Count(e => e!["deploymentChange"]?.GetValue<bool>() == true)),
            ("byOperation", Facts.Counts(entries.Select(e => (string?)e!["operationName"]))),
            ("events", Facts.Array(entries)));
        paging.Describe(facts);
        var raw = new JsonObject
        {
            ["filters"] = new JsonArray(filters.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
            ["value"] = new JsonArray(ordered.Select(e => (JsonNode)e).ToArray()),
        };
        await scope.EmitAsync(
            Kind,
            scope.Subscription,
            $"{path}?api-version={operation.ApiVersion}&$filter={filters[0]}",
            $"{scope.Subscription.DisplayName}: {entries.Count} administrative events on AI resources in the period, {facts["deploymentChangeCount"]} deployment changes{paging.SummarySuffix}.",
            facts,
            raw,
            new EvidencePeriod(from, period.To),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes and deletes of model deployments, content-filter policies and ML online deployments.</summary>
    private static bool IsDeploymentChange(string? operation) =>
        operation is not null
        && (operation.Contains("/deployments/", StringComparison.OrdinalIgnoreCase)
            || operation.Contains("/raiPolicies/", StringComparison.OrdinalIgnoreCase)
            || operation.Contains("/onlineEndpoints/", StringComparison.OrdinalIgnoreCase))
        && (operation.EndsWith("/write", StringComparison.OrdinalIgnoreCase) || operation.EndsWith("/delete", StringComparison.OrdinalIgnoreCase));

    private static string Timestamp(DateTimeOffset value) =>
        value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
}
