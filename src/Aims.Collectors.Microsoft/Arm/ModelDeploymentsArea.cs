using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// <c>azure.model-deployments</c>: for each Azure OpenAI / AI Services account, its model deployments (model,
/// version, SKU, capacity, content-filter policy) and its RAI (content-filter) policies (A.4.5, A.9.4).
/// One item per account.
/// </summary>
internal sealed class ModelDeploymentsArea : IArmArea
{
    public string Kind => "azure.model-deployments";

    public async Task CollectAsync(SubscriptionScope scope, AiInventory inventory, CancellationToken cancellationToken = default)
    {
        if (await ArmAreas.ReportListingFailureAsync(scope, inventory, Kind, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        foreach (var account in inventory.Resources.Where(r => r.HostsModelDeployments))
        {
            var path = $"{account.Id}/deployments";
            try
            {
                var paging = new ArmPaging();
                var deployments = await ListAsync(scope, ArmOperations.Deployments, path, paging, cancellationToken).ConfigureAwait(false);
                path = $"{account.Id}/raiPolicies";
                var policies = await ListAsync(scope, ArmOperations.RaiPolicies, path, paging, cancellationToken).ConfigureAwait(false);
                await EmitAsync(scope, account, deployments, policies, paging, cancellationToken).ConfigureAwait(false);
            }
            catch (ArmCallException ex)
            {
                await scope.ReportAsync(account.Subject, Kind, ex, path, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<List<JsonObject>> ListAsync(SubscriptionScope scope, ArmOperation operation, string path, ArmPaging paging, CancellationToken cancellationToken = default)
    {
        var items = new List<JsonObject>();
        await foreach (var item in scope.Rest.ListAsync(operation, scope.Rest.UrlFor(path, operation), paging, cancellationToken).ConfigureAwait(false))
        {
            items.Add(item);
        }

        return items;
    }

    private async Task EmitAsync(SubscriptionScope scope, AiResource account, List<JsonObject> deployments, List<JsonObject> policies, ArmPaging paging, CancellationToken cancellationToken = default)
    {
        var deploymentFacts = deployments
            .OrderBy(d => ArmJson.Text(d, "name"), StringComparer.Ordinal)
            .Select(d => (JsonNode)Facts.Object(
                ("name", ArmJson.Text(d, "name")),
                ("modelFormat", ArmJson.Text(d, "properties.model.format")),
                ("modelName", ArmJson.Text(d, "properties.model.name")),
                ("modelVersion", ArmJson.Text(d, "properties.model.version")),
                ("skuName", ArmJson.Text(d, "sku.name")),
                ("capacity", ArmJson.Number(d, "sku.capacity")),
                ("raiPolicyName", ArmJson.Text(d, "properties.raiPolicyName")),
                ("versionUpgradeOption", ArmJson.Text(d, "properties.versionUpgradeOption")),
                ("provisioningState", ArmJson.Text(d, "properties.provisioningState")),
                ("createdAt", ArmJson.Time(d, "systemData.createdAt")),
                ("createdBy", ArmJson.Text(d, "systemData.createdBy")),
                ("lastModifiedAt", ArmJson.Time(d, "systemData.lastModifiedAt")),
                ("lastModifiedBy", ArmJson.Text(d, "systemData.lastModifiedBy"))))
            .ToList();
        var policyFacts = policies
            .OrderBy(p => ArmJson.Text(p, "name"), StringComparer.Ordinal)
            .Select(p => (JsonNode)Facts.Object(
                ("name", ArmJson.Text(p, "name")),
                ("mode", ArmJson.Text(p, "properties.mode")),
                ("basePolicyName", ArmJson.Text(p, "properties.basePolicyName")),
                ("contentFilters", Facts.Array((ArmJson.At(p, "properties.contentFilters") as JsonArray ?? [])
                    .OrderBy(f => $"{ArmJson.Text(f, "source")}/{ArmJson.Text(f, "name")}", StringComparer.Ordinal)
                    .Select(f => (JsonNode)Facts.Object(
                        ("name", ArmJson.Text(f, "name")),
                        ("source", ArmJson.Text(f, "source")),
                        ("enabled", ArmJson.Bool(f, "enabled")),
                        ("blocking", ArmJson.Bool(f, "blocking")),
                        ("severityThreshold", ArmJson.Text(f, "severityThreshold"))))))))
            .ToList();
        var withoutPolicy = deploymentFacts.Count(d => d!["raiPolicyName"] is null);
        var facts = Facts.Object(
            ("accountId", account.Key),
            ("accountKind", account.Kind),
            ("deploymentCount", deploymentFacts.Count),
            ("deploymentsWithoutRaiPolicy", withoutPolicy),
            ("deployments", Facts.Array(deploymentFacts)),
            ("raiPolicies", Facts.Array(policyFacts)));
        paging.Describe(facts);
        var raw = new JsonObject
        {
            ["deployments"] = new JsonArray(deployments.Select(d => (JsonNode)d).ToArray()),
            ["raiPolicies"] = new JsonArray(policies.Select(p => (JsonNode)p).ToArray()),
        };
        await scope.EmitAsync(
            Kind,
            account.Subject,
            $"{account.Id}/deployments?api-version={ArmOperations.Deployments.ApiVersion}",
            $"'{account.Name}': {deploymentFacts.Count} model deployments, {withoutPolicy} without a content-filter policy, {policyFacts.Count} RAI policies.",
            facts,
            raw,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
