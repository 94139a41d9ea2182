using System.Text.Json.Nodes;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>The AI resources of one subscription, or why they could not be listed.</summary>
/// <param name="Resources">The resources, ordered by id; empty when listing failed.</param>
/// <param name="Raw">The listing's <c>value</c> items as Resource Manager returned them.</param>
/// <param name="Failure">Why listing failed; every kind that needs the list reports it.</param>
/// <param name="Malformed">Listed entries whose id is not a well-formed resource id of this subscription, with why.</param>
/// <param name="Paging">Whether the listing was read to its end.</param>
internal sealed record AiInventory(IReadOnlyList<AiResource> Resources, JsonArray Raw, ArmCallException? Failure, IReadOnlyList<(string Id, string Reason)> Malformed, ArmPaging Paging)
{
    public static readonly string[] ResourceTypes = [AiResource.CognitiveServicesAccounts, AiResource.MachineLearningWorkspaces];

    /// <summary>
    /// Lists the AI resources (one filtered query per resource type) through <see cref="ArmRestClient"/>, so a page's
    /// next link gets the same-host rule as every other call that carries the token, and one entry with a malformed
    /// id is set aside with its reason instead of failing the whole listing.
    /// </summary>
    public static async Task<AiInventory> ReadAsync(SubscriptionScope scope, CancellationToken cancellationToken = default)
    {
        var resources = new List<AiResource>();
        var malformed = new List<(string, string)>();
        var raw = new JsonArray();
        var paging = new ArmPaging();
        var operation = ArmOperations.Resources;
        try
        {
            foreach (var type in ResourceTypes)
            {
                var url = scope.Rest.UrlFor($"{scope.SubscriptionPath}/resources", operation, [new("$filter", $"resourceType eq '{type}'")]);
                await foreach (var value in scope.Rest.ListAsync(operation, url, paging, cancellationToken).ConfigureAwait(false))
                {
                    raw.Add(value.DeepClone());
                    var id = ArmJson.Text(value, "id") ?? "";
                    if (AiResource.IdProblem(id, scope.SubscriptionId) is { } problem)
                    {
                        if (!malformed.Exists(m => m.Item1 == id))
                        {
                            malformed.Add((id, problem));
                        }

                        continue;
                    }

                    if (resources.Exists(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase)))
                    {
                        continue;
                    }

                    resources.Add(new AiResource(id, ArmJson.Text(value, "type") ?? type, ArmJson.Text(value, "name") ?? id[(id.LastIndexOf('/') + 1)..], ArmJson.Text(value, "kind"), ArmJson.Text(value, "location")));
                }
            }
        }
        catch (ArmCallException ex)
        {
            return new AiInventory([], raw, ex, malformed, paging);
        }

        return new AiInventory(resources.OrderBy(r => r.Key, StringComparer.Ordinal).ToArray(), raw, null, malformed, paging);
    }
}
