using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// <c>azure.policy-compliance</c>: the Azure Policy assignments that apply to the subscription and, where Policy
/// Insights is reachable, the latest compliance summary per assignment (A.6.2.6). One item per subscription.
/// </summary>
internal sealed class PolicyComplianceArea : IArmArea
{
    public string Kind => "azure.policy-compliance";

    public async Task CollectAsync(SubscriptionScope scope, AiInventory inventory, CancellationToken cancellationToken = default)
    {
        var assignments = new List<JsonObject>();
        var rawAssignments = new JsonArray();
        var paging = new ArmPaging();
        var operation = ArmOperations.PolicyAssignments;
        try
        {
            var url = scope.Rest.UrlFor($"{scope.SubscriptionPath}/providers/Microsoft.Authorization/policyAssignments", operation, [new("$filter", "atScope()")]);
            await foreach (var value in scope.Rest.ListAsync(operation, url, paging, cancellationToken).ConfigureAwait(false))
            {
                rawAssignments.Add(value.DeepClone());
                assignments.Add(value);
            }
        }
        catch (ArmCallException ex)
        {
            await scope.ReportAsync(scope.Subscription, Kind, ex, $"{scope.SubscriptionPath}/providers/Microsoft.Authorization/policyAssignments", cancellationToken).ConfigureAwait(false);
            return;
        }

        // Compliance is "where reachable": without it the assignments are still evidence, and the facts say why it is missing.
        JsonObject? summary = null;
        string? complianceError = null;
        var summaryPath = $"{scope.SubscriptionPath}/providers/Microsoft.PolicyInsights/policyStates/latest/summarize";
        try
        {
            summary = await scope.Rest.SendAsync(ArmOperations.PolicyStatesSummary, scope.Rest.UrlFor(summaryPath, ArmOperations.PolicyStatesSummary), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (ArmCallException ex)
        {
            complianceError = ex.Message;
        }

        var firstSummary = (summary?["value"] as JsonArray)?.FirstOrDefault();
        var perAssignment = (ArmJson.At(firstSummary, "policyAssignments") as JsonArray ?? [])
            .Where(p => ArmJson.Id(p, "policyAssignmentId") is not null)
            .GroupBy(p => ArmJson.Id(p, "policyAssignmentId")!, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

        var assignmentFacts = assignments
            .OrderBy(a => ArmJson.Text(a, "id"), StringComparer.OrdinalIgnoreCase)
            .Select(a =>
            {
                var id = ArmJson.Text(a, "id")?.ToLowerInvariant();
                var results = id is not null && perAssignment.TryGetValue(id, out var r) ? r?["results"] : null;
                return (JsonNode)Facts.Object(
                    ("id", id),
                    ("name", ArmJson.Text(a, "name")),
                    ("displayName", ArmJson.Text(a, "properties.displayName")),
                    ("policyDefinitionId", ArmJson.Text(a, "properties.policyDefinitionId")?.ToLowerInvariant()),
                    ("scope", ArmJson.Text(a, "properties.scope")?.ToLowerInvariant()),
                    ("notScopes", Facts.Set((ArmJson.At(a, "properties.notScopes") as JsonArray)?.Select(n => n is JsonValue v && v.TryGetValue<string>(out var t) ? t.ToLowerInvariant() : null).OfType<string>())),
                    ("enforcementMode", ArmJson.Text(a, "properties.enforcementMode") ?? "Default"),
                    ("nonCompliantResources", summary is null ? null : ArmJson.Number(results, "nonCompliantResources") ?? 0),
                    ("nonCompliantPolicies", summary is null ? null : ArmJson.Number(results, "nonCompliantPolicies") ?? 0));
            })
            .ToList();

        var facts = Facts.Object(
            ("subscriptionId", scope.SubscriptionId),
            ("assignmentCount", assignmentFacts.Count),
            ("complianceAvailable", summary is not null),
            ("complianceError", complianceError),
            ("nonCompliantResources", summary is null ? null : ArmJson.Number(firstSummary, "results.nonCompliantResources") ?? 0),
            ("nonCompliantPolicies", summary is null ? null : ArmJson.Number(firstSummary, "results.nonCompliantPolicies") ?? 0),
            ("resourcesByComplianceState", summary is null ? null : ResourceDetails(firstSummary)),
            ("assignments", Facts.Array(assignmentFacts)));
        paging.Describe(facts);
        var raw = new JsonObject
        {
            ["policyAssignments"] = rawAssignments,
            ["policyStatesSummary"] = summary,
        };
        var compliance = summary is null ? "compliance not readable" : $"{facts["nonCompliantResources"]} non-compliant resources";
        await scope.EmitAsync(
            Kind,
            scope.Subscription,
            $"{scope.SubscriptionPath}/providers/Microsoft.Authorization/policyAssignments?$filter=atScope()",
            $"{scope.Subscription.DisplayName}: {assignmentFacts.Count} policy assignments{paging.SummarySuffix}, {compliance}.",
            facts,
            raw,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject ResourceDetails(JsonNode? summary)
    {
        var result = new JsonObject();
        foreach (var detail in (ArmJson.At(summary, "results.resourceDetails") as JsonArray ?? []).OrderBy(d => ArmJson.Text(d, "complianceState"), StringComparer.Ordinal))
        {
            if (ArmJson.Text(detail, "complianceState") is { } state)
            {
                result[state] = ArmJson.Number(detail, "count") ?? 0;
            }
        }

        return result;
    }
}
