using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// <c>azure.ai-resources</c>: each Cognitive Services / Azure OpenAI account and ML workspace with its security-relevant
/// properties (A.4.2, A.4.5, A.9.4), and one inventory item for the subscription listing them all, so a resource
/// missing from the AI system inventory can be found.
/// </summary>
internal sealed class AiResourcesArea : IArmArea
{
    public string Kind => "azure.ai-resources";

    public async Task CollectAsync(SubscriptionScope scope, AiInventory inventory, CancellationToken cancellationToken = default)
    {
        if (await ArmAreas.ReportListingFailureAsync(scope, inventory, Kind, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        var listed = new List<JsonNode>();
        foreach (var resource in inventory.Resources)
        {
            var operation = resource.IsCognitiveServices ? ArmOperations.CognitiveAccount : ArmOperations.Workspace;
            try
            {
                var body = await scope.Rest.SendAsync(operation, scope.Rest.UrlFor(resource.Id, operation), cancellationToken: cancellationToken).ConfigureAwait(false);
                var facts = resource.IsCognitiveServices ? AccountFacts(resource, body) : WorkspaceFacts(resource, body);
                listed.Add(Facts.Object(("id", resource.Key), ("name", resource.Name), ("type", resource.Type), ("kind", resource.Kind), ("location", resource.Location)));
                await scope.EmitAsync(
                    Kind,
                    resource.Subject,
                    $"{resource.Id}?api-version={operation.ApiVersion}",
                    $"{resource.Type} '{resource.Name}'{(resource.Kind is null ? "" : $" (kind {resource.Kind})")} in {resource.Location}.",
                    facts,
                    body,
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ArmCallException ex)
            {
                listed.Add(Facts.Object(("id", resource.Key), ("name", resource.Name), ("type", resource.Type), ("kind", resource.Kind), ("location", resource.Location), ("error", ex.Message)));
                await scope.ReportAsync(resource.Subject, Kind, ex, resource.Id, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var (id, problem) in inventory.Malformed)
        {
            // Contained to the one entry: the others are collected, and this one is named with what is wrong with it.
            listed.Add(Facts.Object(("id", id), ("error", $"malformed resource id: {problem}")));
            await scope.ReportAsync(AzureSubjects.Resource(id.ToLowerInvariant(), id[(id.LastIndexOf('/') + 1)..]), Kind, $"{scope.SubscriptionPath}/resources",
                $"Resource Manager listed a resource whose id '{id}' is not well formed ({problem}); it was skipped", cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var inventoryFacts = Facts.Object(
            ("subscriptionId", scope.SubscriptionId),
            ("resourceTypes", Facts.SetOrEmpty(AiInventory.ResourceTypes)),
            ("resourceCount", inventory.Resources.Count),
            ("byType", Facts.Counts(inventory.Resources.Select(r => r.Kind is null ? r.Type : $"{r.Type}:{r.Kind}"))),
            ("resources", Facts.Array(listed)),
            ("malformedIds", inventory.Malformed.Count));
        inventory.Paging.Describe(inventoryFacts);
        await scope.EmitAsync(
            Kind,
            scope.Subscription,
            $"{scope.SubscriptionPath}/resources",
            $"{inventory.Resources.Count} AI resources in {scope.Subscription.DisplayName}{inventory.Paging.SummarySuffix}.",
            inventoryFacts,
            new JsonObject { ["value"] = inventory.Raw.DeepClone() },
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // What every AI resource records, whatever its type.
    private static (string Key, JsonNode? Value)[] CommonFacts(AiResource resource, JsonObject body) =>
    [
        ("id", resource.Key),
        ("name", resource.Name),
        ("type", resource.Type),
        ("kind", ArmJson.Text(body, "kind") ?? resource.Kind),
        ("location", ArmJson.Text(body, "location") ?? resource.Location),
        ("sku", ArmJson.Text(body, "sku.name")),
        ("tags", ArmJson.Copy(body, "tags")),
        ("identityType", ArmJson.Text(body, "identity.type")),
    ];

    private static JsonObject AccountFacts(AiResource resource, JsonObject body) => Facts.Object(
    [
        .. CommonFacts(resource, body),
        ("provisioningState", ArmJson.Text(body, "properties.provisioningState")),
        ("endpoint", ArmJson.Text(body, "properties.endpoint")),
        ("customSubDomainName", ArmJson.Text(body, "properties.customSubDomainName")),
        ("publicNetworkAccess", ArmJson.Text(body, "properties.publicNetworkAccess")),
        ("networkDefaultAction", ArmJson.Text(body, "properties.networkAcls.defaultAction")),
        ("disableLocalAuth", ArmJson.Bool(body, "properties.disableLocalAuth") ?? false),
        ("restrictOutboundNetworkAccess", ArmJson.Bool(body, "properties.restrictOutboundNetworkAccess")),
        ("encryptionKeySource", ArmJson.Text(body, "properties.encryption.keySource")),
        ("privateEndpointConnectionCount", (ArmJson.At(body, "properties.privateEndpointConnections") as JsonArray)?.Count ?? 0),
        ("createdAt", ArmJson.Time(body, "systemData.createdAt")),
        ("lastModifiedAt", ArmJson.Time(body, "systemData.lastModifiedAt")),
    ]);

    private static JsonObject WorkspaceFacts(AiResource resource, JsonObject body) => Facts.Object(
    [
        .. CommonFacts(resource, body),
        ("friendlyName", ArmJson.Text(body, "properties.friendlyName")),
        ("description", ArmJson.Text(body, "properties.description")),
        ("provisioningState", ArmJson.Text(body, "properties.provisioningState")),
        ("publicNetworkAccess", ArmJson.Text(body, "properties.publicNetworkAccess")),
        ("hbiWorkspace", ArmJson.Bool(body, "properties.hbiWorkspace")),
        ("managedNetworkIsolation", ArmJson.Text(body, "properties.managedNetwork.isolationMode")),
        ("applicationInsights", ArmJson.Id(body, "properties.applicationInsights")),
        ("keyVault", ArmJson.Id(body, "properties.keyVault")),
        ("storageAccount", ArmJson.Id(body, "properties.storageAccount")),
        ("containerRegistry", ArmJson.Id(body, "properties.containerRegistry")),
        ("createdAt", ArmJson.Time(body, "systemData.createdAt")),
        ("lastModifiedAt", ArmJson.Time(body, "systemData.lastModifiedAt")),
    ]);
}
