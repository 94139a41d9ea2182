using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// <c>azure.diagnostic-settings</c>: for each AI resource, which log and metric categories go to which destination
/// (Log Analytics, storage, Event Hubs, partner) and for how long (A.6.2.8). An empty list is itself the fact.
/// </summary>
internal sealed class DiagnosticSettingsArea : IArmArea
{
    public string Kind => "azure.diagnostic-settings";

    public async Task CollectAsync(SubscriptionScope scope, AiInventory inventory, CancellationToken cancellationToken = default)
    {
        if (await ArmAreas.ReportListingFailureAsync(scope, inventory, Kind, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var operation = ArmOperations.DiagnosticSettings;
        foreach (var resource in inventory.Resources)
        {
            var path = $"{resource.Id}/providers/Microsoft.Insights/diagnosticSettings";
            try
            {
                var settings = new List<JsonObject>();
                var paging = new ArmPaging();
                await foreach (var item in scope.Rest.ListAsync(operation, scope.Rest.UrlFor(path, operation), paging, cancellationToken).ConfigureAwait(false))
                {
                    settings.Add(item);
                }

                var settingFacts = settings
                    .OrderBy(s => ArmJson.Text(s, "name"), StringComparer.Ordinal)
                    .Select(s => (JsonNode)SettingFacts(s))
                    .ToList();
                var enabledLogs = settingFacts
                    .SelectMany(s => (s!["logs"] as JsonArray ?? []).Where(l => ArmJson.Bool(l, "enabled") == true))
                    .Select(l => ArmJson.Text(l, "category") ?? ArmJson.Text(l, "categoryGroup"));
                var facts = paging.Describe(Facts.Object(
                    ("resourceId", resource.Key),
                    ("settingCount", settingFacts.Count),
                    ("enabledLogCategories", Facts.SetOrEmpty(enabledLogs)),
                    ("settings", Facts.Array(settingFacts))));
                await scope.EmitAsync(
                    Kind,
                    resource.Subject,
                    $"{path}?api-version={operation.ApiVersion}",
                    $"'{resource.Name}': {settingFacts.Count} diagnostic settings{paging.SummarySuffix}.",
                    facts,
                    new JsonObject { ["value"] = new JsonArray(settings.Select(s => (JsonNode)s).ToArray()) },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ArmCallException ex)
            {
                await scope.ReportAsync(resource.Subject, Kind, ex, path, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static JsonObject SettingFacts(JsonObject setting)
    {
        static JsonNode Categories(JsonNode? list) => Facts.Array((list as JsonArray ?? [])
            .OrderBy(c => ArmJson.Text(c, "category") ?? ArmJson.Text(c, "categoryGroup"), StringComparer.Ordinal)
            .Select(c => (JsonNode)Facts.Object(
                ("category", ArmJson.Text(c, "category")),
                ("categoryGroup", ArmJson.Text(c, "categoryGroup")),
                ("enabled", ArmJson.Bool(c, "enabled") ?? false),
                ("retentionDays", ArmJson.Bool(c, "retentionPolicy.enabled") == true ? ArmJson.Number(c, "retentionPolicy.days") : null))));

        // An empty or blank destination ("workspaceId": "") sends nothing anywhere: it is no destination at all.
        static bool Set(JsonObject s, string path) => !string.IsNullOrWhiteSpace(ArmJson.Text(s, path));
        var destinations = new List<string>();
        if (Set(setting, "properties.workspaceId"))
        {
            destinations.Add("logAnalytics");
        }

        if (Set(setting, "properties.storageAccountId"))
        {
            destinations.Add("storage");
        }

        if (Set(setting, "properties.eventHubAuthorizationRuleId"))
        {
            destinations.Add("eventHub");
        }

        if (Set(setting, "properties.marketplacePartnerId"))
        {
            destinations.Add("partner");
        }

        return Facts.Object(
            ("name", ArmJson.Text(setting, "name")),
            ("destinations", Facts.SetOrEmpty(destinations)),
            ("workspaceId", Set(setting, "properties.workspaceId") ? ArmJson.Id(setting, "properties.workspaceId") : null),
            ("storageAccountId", Set(setting, "properties.storageAccountId") ? ArmJson.Id(setting, "properties.storageAccountId") : null),
            ("eventHubName", Set(setting, "properties.eventHubName") ? ArmJson.Text(setting, "properties.eventHubName") : null),
            ("logAnalyticsDestinationType", ArmJson.Text(setting, "properties.logAnalyticsDestinationType")),
            ("logs", Categories(ArmJson.At(setting, "properties.logs"))),
            ("metrics", Categories(ArmJson.At(setting, "properties.metrics"))));
    }
}
