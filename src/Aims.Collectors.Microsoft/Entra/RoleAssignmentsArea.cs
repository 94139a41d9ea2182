using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Aims.Evidence.Items;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// <c>entra.role-assignments</c>: for each privileged directory role, its active assignments and its PIM eligibility
/// schedules (A.3.2). Eligibility needs Entra ID P2; when it cannot be read the item still records the active
/// assignments and says why eligibility is missing.
/// </summary>
internal sealed class RoleAssignmentsArea : IEntraArea
{
    private static readonly string[] DefinitionSelect = ["id", "displayName", "templateId", "isBuiltIn", "isEnabled"];

    public string Kind => "entra.role-assignments";

    public bool IsConfigured(EntraIdSettings settings) => settings.PrivilegedRoles.Count > 0;

    public async Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        List<UnifiedRoleDefinition> definitions;
        try
        {
            definitions = await GraphPager.ListAsync<UnifiedRoleDefinition, UnifiedRoleDefinitionCollectionResponse>(
                scope.Client,
                GraphOperations.RoleDefinitions,
                () => scope.Client.RoleManagement.Directory.RoleDefinitions.GetAsync(rc => rc.QueryParameters.Select = DefinitionSelect, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex)
        {
            // Without the definitions no role can be resolved: each configured role is reported, so each shows in the digest.
            foreach (var role in scope.Settings.PrivilegedRoles)
            {
                await scope.ReportAsync(EntraSubjects.Role(role, null), Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        foreach (var role in scope.Settings.PrivilegedRoles)
        {
            var definition = Find(definitions, role);
            if (definition is null)
            {
                await scope.ReportAsync(
                    EntraSubjects.Role(role, null),
                    Kind,
                    GraphOperations.RoleDefinitions.Path,
                    $"No directory role definition has the template id, id or name '{role}' (setting {scope.Settings.Credential.SettingPrefix}:PrivilegedRoles).",
                    cancellationToken: cancellationToken).ConfigureAwait(false);
                continue;
            }

            var subject = EntraSubjects.Role(definition.TemplateId ?? definition.Id ?? role, definition.DisplayName);
            try
            {
                await CollectRoleAsync(scope, definition, subject, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphCallException ex)
            {
                await scope.ReportAsync(subject, Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static UnifiedRoleDefinition? Find(List<UnifiedRoleDefinition> definitions, string role) =>
        definitions.FirstOrDefault(d => string.Equals(d.TemplateId, role, StringComparison.OrdinalIgnoreCase))
        ?? definitions.FirstOrDefault(d => string.Equals(d.Id, role, StringComparison.OrdinalIgnoreCase))
        ?? definitions.FirstOrDefault(d => string.Equals(d.DisplayName, role, StringComparison.OrdinalIgnoreCase));

    private async Task CollectRoleAsync(EntraJobScope scope, UnifiedRoleDefinition definition, Subject subject, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        var filter = $"roleDefinitionId eq {EntraFacts.Literal(definition.Id!)}";
        var assignments = await GraphPager.ListAsync<UnifiedRoleAssignment, UnifiedRoleAssignmentCollectionResponse>(
            client,
            GraphOperations.RoleAssignments,
            () => client.RoleManagement.Directory.RoleAssignments.GetAsync(
                rc =>
                {
                    rc.QueryParameters.Filter = filter;
                    rc.QueryParameters.Expand = ["principal"];
                },
                cancellationToken),
            cancellationToken).ConfigureAwait(false);

        List<UnifiedRoleEligibilitySchedule> eligibilities = [];
        string? eligibilityError = null;
        try
        {
            eligibilities = await GraphPager.ListAsync<UnifiedRoleEligibilitySchedule, UnifiedRoleEligibilityScheduleCollectionResponse>(
                client,
                GraphOperations.RoleEligibility,
                () => client.RoleManagement.Directory.RoleEligibilitySchedules.GetAsync(
                    rc =>
                    {
                        rc.QueryParameters.Filter = filter;
                        rc.QueryParameters.Expand = ["principal"];
                    },
                    cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex)
        {
            eligibilityError = ex.Message;
        }

        var assignmentFacts = assignments
            .Select(a => (JsonNode)Facts.Object(
                ("id", a.Id),
                ("principalId", a.PrincipalId),
                ("principal", a.Principal is null ? null : EntraFacts.Principal(a.Principal)),
                ("directoryScopeId", a.DirectoryScopeId)))
            .OrderBy(a => (string?)a["principalId"], StringComparer.Ordinal)
            .ToList();
        var eligibilityFacts = eligibilities
            .Select(e => (JsonNode)Facts.Object(
                ("id", e.Id),
                ("principalId", e.PrincipalId),
                ("principal", e.Principal is null ? null : EntraFacts.Principal(e.Principal)),
                ("directoryScopeId", e.DirectoryScopeId),
                ("memberType", e.MemberType),
                ("status", e.Status),
                ("startDateTime", Facts.Time(e.ScheduleInfo?.StartDateTime)),
                ("endDateTime", Facts.Time(e.ScheduleInfo?.Expiration?.EndDateTime)),
                ("expirationType", EntraFacts.Wire(e.ScheduleInfo?.Expiration?.Type))))
            .OrderBy(e => (string?)e["principalId"], StringComparer.Ordinal)
            .ToList();
        var facts = Facts.Object(
            ("role", Facts.Object(
                ("id", definition.Id),
                ("templateId", definition.TemplateId),
                ("displayName", definition.DisplayName),
                ("isBuiltIn", definition.IsBuiltIn))),
            ("assignments", Facts.Array(assignmentFacts)),
            ("assignmentCount", assignmentFacts.Count),
            ("eligibilityAvailable", eligibilityError is null),
            ("eligibilities", eligibilityError is null ? Facts.Array(eligibilityFacts) : null),
            ("eligibilityCount", eligibilityError is null ? eligibilityFacts.Count : null),
            ("eligibilityError", eligibilityError));
        var raw = new JsonObject
        {
            ["roleDefinition"] = await GraphJson.ToNodeAsync(definition, cancellationToken).ConfigureAwait(false),
            ["roleAssignments"] = await GraphJson.ToArrayAsync(assignments, cancellationToken).ConfigureAwait(false),
            ["roleEligibilitySchedules"] = await GraphJson.ToArrayAsync(eligibilities, cancellationToken).ConfigureAwait(false),
        };
        var eligible = eligibilityError is null ? $"{eligibilityFacts.Count} eligible" : "eligibility not readable";
        await scope.EmitAsync(
            Kind,
            subject,
            $"/roleManagement/directory/roleAssignments?$filter={filter}",
            $"Role '{definition.DisplayName}': {assignmentFacts.Count} active assignments, {eligible}.",
            facts,
            raw,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
