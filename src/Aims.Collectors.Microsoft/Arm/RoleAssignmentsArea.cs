using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// <c>azure.role-assignments</c>: the Azure RBAC role assignments that apply to each AI resource, at its scope or
/// inherited from above (<c>$filter=atScope()</c>), with role names (A.3.2). One item per resource.
/// </summary>
internal sealed class RoleAssignmentsArea : IArmArea
{
    public string Kind => "azure.role-assignments";

    public async Task CollectAsync(SubscriptionScope scope, AiInventory inventory, CancellationToken cancellationToken = default)
    {
        if (await ArmAreas.ReportListingFailureAsync(scope, inventory, Kind, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        // Role names are looked up once per job: most assignments share a handful of roles.
        var roleNames = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var operation = ArmOperations.RoleAssignments;
        foreach (var resource in inventory.Resources)
        {
            var path = $"{resource.Id}/providers/Microsoft.Authorization/roleAssignments";
            try
            {
                var assignments = new List<JsonObject>();
                var paging = new ArmPaging();
                await foreach (var item in scope.Rest.ListAsync(operation, scope.Rest.UrlFor(path, operation, [new("$filter", "atScope()")]), paging, cancellationToken).ConfigureAwait(false))
                {
                    assignments.Add(item);
                }

                var assignmentFacts = new List<JsonNode>();
                foreach (var a in assignments.OrderBy(a => ArmJson.Id(a, "id"), StringComparer.Ordinal))
                {
                    var roleId = ArmJson.Text(a, "properties.roleDefinitionId");
                    var assignmentScope = ArmJson.Id(a, "properties.scope");
                    assignmentFacts.Add(Facts.Object(
                        ("id", ArmJson.Id(a, "id")),
                        ("principalId", ArmJson.Text(a, "properties.principalId")),
                        ("principalType", ArmJson.Text(a, "properties.principalType")),
                        ("roleDefinitionId", roleId?.ToLowerInvariant()),
                        ("roleName", roleId is null ? null : await RoleNameAsync(scope, roleNames, roleId, cancellationToken).ConfigureAwait(false)),
                        ("scope", assignmentScope),
                        ("inherited", assignmentScope is not null && assignmentScope != resource.Key),
                        ("condition", ArmJson.Text(a, "properties.condition")),
                        ("createdOn", ArmJson.Time(a, "properties.createdOn")),
                        ("createdBy", ArmJson.Text(a, "properties.createdBy"))));
                }

                var facts = paging.Describe(Facts.Object(
                    ("resourceId", resource.Key),
                    ("assignmentCount", assignmentFacts.Count),
                    ("directAssignmentCount", assignmentFacts.Count(a => a!["inherited"]?.GetValue<bool>() == false)),
                    ("byRole", Facts.Counts(assignmentFacts.Select(a => (string?)a!["roleName"] ?? (string?)a["roleDefinitionId"]))),
                    ("assignments", Facts.Array(assignmentFacts))));
                await scope.EmitAsync(
                    Kind,
                    resource.Subject,
                    $"{path}?api-version={operation.ApiVersion}&$filter=atScope()",
                    $"'{resource.Name}': {assignmentFacts.Count} role assignments apply.",
                    facts,
                    new JsonObject { ["value"] = new JsonArray(assignments.Select(x => (JsonNode)x).ToArray()) },
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (ArmCallException ex)
            {
                await scope.ReportAsync(resource.Subject, Kind, ex, path, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>A role name is a convenience: when it cannot be read the assignment still stands with its role id.</summary>
    private static async Task<string?> RoleNameAsync(SubscriptionScope scope, Dictionary<string, string?> cache, string roleDefinitionId, CancellationToken cancellationToken = default)
    {
        if (cache.TryGetValue(roleDefinitionId, out var known))
        {
            return known;
        }

        string? name = null;
        try
        {
            var definition = await scope.Rest.SendAsync(ArmOperations.RoleDefinition, scope.Rest.UrlFor(roleDefinitionId, ArmOperations.RoleDefinition), cancellationToken: cancellationToken).ConfigureAwait(false);
            name = ArmJson.Text(definition, "properties.roleName");
        }
        catch (ArmCallException ex)
        {
            AzureLog.Detail(scope.Logger, $"role name of {roleDefinitionId} not read: {ex.Message}");
        }

        cache[roleDefinitionId] = name;
        return name;
    }
}
