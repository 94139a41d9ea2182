using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Microsoft.Tests.Fixtures;

/// <summary>Routes the fake Contoso tenant's Graph endpoints (under <c>/v1.0</c>) onto a <see cref="FakeApi"/>.</summary>
public static class FakeGraphTenant
{
    public const string V = "/v1.0";
    public const string MembersPath = $"{V}/groups/{GraphIds.GovernanceGroup}/members";
    public const string OwnersPath = $"{V}/groups/{GraphIds.GovernanceGroup}/owners";
    public const string PoliciesPath = $"{V}/identity/conditionalAccess/policies";
    public const string AuditsPath = $"{V}/auditLogs/directoryAudits";

    public static FakeApi MapContosoTenant(this FakeApi api)
    {
        MapContosoTenant(api, FakeDirectory.Contoso());
        return api;
    }

    /// <summary>The tenant with <paramref name="directory"/> serving groups, members, owners, group delta and getByIds.</summary>
    public static FakeApi MapContosoTenant(this FakeApi api, FakeDirectory directory)
    {
        directory.Map(api);
        api.OnJson("GET", $"{V}/roleManagement/directory/roleDefinitions", GraphPayloads.RoleDefinitions)
            .On("GET", $"{V}/roleManagement/directory/roleAssignments", context => api.WriteJsonAsync(context, GraphPayloads.RoleAssignments(RoleIn(context))))
            .On("GET", $"{V}/roleManagement/directory/roleEligibilitySchedules", context => api.WriteJsonAsync(context, GraphPayloads.RoleEligibility(RoleIn(context))))
            .On("GET", $"{V}/servicePrincipals", context =>
                api.WriteJsonAsync(context, context.Request.Query["$filter"].ToString().Contains("tags/any", StringComparison.Ordinal)
                    ? GraphPayloads.TaggedServicePrincipals
                    : GraphPayloads.AllServicePrincipals))
            .OnJson("GET", $"{V}/servicePrincipals(appId='{GraphIds.VendorAppId}')", GraphPayloads.VendorServicePrincipal)
            .OnJson("GET", $"{V}/servicePrincipals/{GraphIds.FraudSp}/owners", GraphPayloads.SpOwners)
            .OnJson("GET", $"{V}/servicePrincipals/{GraphIds.VendorSp}/owners", GraphPayloads.Empty)
            .OnJson("GET", $"{V}/applications(appId='{GraphIds.FraudAppId}')", GraphPayloads.FraudApplication)
            .OnJson("GET", $"{V}/applications(appId='{GraphIds.VendorAppId}')", GraphPayloads.ApplicationNotFound, 404)
            .OnJson("GET", $"{V}/applications/{GraphIds.FraudApplication}/owners", GraphPayloads.ApplicationOwners)
            .OnJson("GET", $"{V}/oauth2PermissionGrants", GraphPayloads.PermissionGrants)
            .OnJson("GET", $"{V}/identityGovernance/accessReviews/definitions", GraphPayloads.ReviewDefinitions)
            .OnJson("GET", $"{V}/identityGovernance/accessReviews/definitions/{GraphIds.ReviewDefinition}/instances", GraphPayloads.ReviewInstances)
            .OnJson("GET", $"{V}/identityGovernance/accessReviews/definitions/{GraphIds.ReviewDefinition}/instances/{GraphIds.ReviewInstance}/decisions", GraphPayloads.ReviewDecisions)
            .OnJson("GET", $"{V}/identityGovernance/accessReviews/definitions/{GraphIds.ReviewDefinition}/instances/{GraphIds.OldReviewInstance}/decisions", GraphPayloads.Empty)
            .OnJson("GET", PoliciesPath, GraphPayloads.ConditionalAccessPolicies)
            .On("GET", AuditsPath, context =>
            {
                var filter = context.Request.Query["$filter"].ToString();
                var body = filter.Contains(GraphIds.FraudSp, StringComparison.Ordinal) ? GraphPayloads.DirectoryAuditsForFraudSp
                    : filter.Contains(GraphIds.FraudApplication, StringComparison.Ordinal) ? GraphPayloads.DirectoryAuditsForFraudApplication
                    : GraphPayloads.Empty;
                return api.WriteJsonAsync(context, body);
            });
        return api;
    }

    /// <summary>The settings every Entra test starts from: the fake's Graph root, one group, one configured app.</summary>
    public static Dictionary<string, string?> Settings(FakeApi api) => new()
    {
        ["BaseUrl"] = $"{api.Root}/v1.0",
        ["TenantId"] = GraphIds.Tenant,
        ["Groups:0"] = GraphIds.GovernanceGroup,
        ["Apps:0"] = GraphIds.VendorAppId,
        ["PrivilegedRoles:0"] = "Global Administrator",
        ["PrivilegedRoles:1"] = GraphIds.AiAdministrator,
    };

    private static string RoleIn(HttpContext context)
    {
        var filter = context.Request.Query["$filter"].ToString();
        return filter.Contains(GraphIds.GlobalAdministrator, StringComparison.Ordinal) ? GraphIds.GlobalAdministrator : GraphIds.AiAdministrator;
    }
}
