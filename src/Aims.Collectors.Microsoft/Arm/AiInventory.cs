using System.Text.Json.Nodes;
using Azure.ResourceManager.Resources;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>The AI resources of one subscription, or why they could not be listed.</summary>
/// <param name="Resources">The resources, ordered by id; empty when listing failed.</param>
/// <param name="Raw">The listing's <c>value</c> items as Resource Manager returned them.</param>
/// <param name="Failure">Why listing failed; every kind that needs the list reports it.</param>
internal sealed record AiInventory(IReadOnlyList<AiResource> Resources, JsonArray Raw, ArmCallException? Failure)
{
    public static readonly string[] ResourceTypes = [AiResource.CognitiveServicesAccounts, AiResource.MachineLearningWorkspaces];

    /// <summary>Lists the AI resources with the SDK's generic resource listing (one filtered query per resource type).</summary>
    public static async Task<AiInventory> ReadAsync(SubscriptionScope scope, CancellationToken cancellationToken = default)
    {
        var subscription = scope.Arm.GetSubscriptionResource(SubscriptionResource.CreateResourceIdentifier(scope.SubscriptionId));
        var resources = new List<AiResource>();
        var raw = new JsonArray();
        try
        {
            foreach (var type in ResourceTypes)
            {
                await ArmFailure.CallAsync(
                    ArmOperations.Resources,
                    async () =>
                    {
                        // Page by page, so the raw payload is the JSON Resource Manager sent rather than the SDK's reading of it.
                        await foreach (var page in subscription.GetGenericResourcesAsync(filter: $"resourceType eq '{type}'", cancellationToken: cancellationToken).AsPages().StopOnRepeatedNextLink(ArmOperations.Resources, cancellationToken).ConfigureAwait(false))
                        {
                            foreach (var resource in page.Values)
                            {
                                var data = resource.Data;
                                resources.Add(new AiResource(data.Id.ToString(), data.ResourceType.ToString(), data.Name, data.Kind, data.Location.Name));
                            }

                            foreach (var value in ArmJson.PageValues(page.GetRawResponse()))
                            {
                                raw.Add(value);
                            }
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }
        catch (ArmCallException ex)
        {
            return new AiInventory([], raw, ex);
        }

        return new AiInventory(resources.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray(), raw, null);
    }
}
