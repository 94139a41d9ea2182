using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Microsoft.Tests.Entra;

/// <summary>How the Entra collector behaves when Graph pages badly, throttles, forbids or answers nonsense.</summary>
public sealed class EntraFailureTests(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
{
    private Task<EntraRun> StartAsync(Action<FakeApi>? routes = null, Action<Dictionary<string, string?>>? settings = null) =>
        EntraRun.StartAsync(routes, settings, fake.Api);

    [Fact]
    public async Task A_repeated_nextLink_stops_paging_and_reports_the_group()
    {
        // Given a members listing whose second page points at itself again
        await using var run = await StartAsync(api => api.On("GET", FakeGraphTenant.MembersPath, context =>
        {
            var page = context.Request.Query["$skiptoken"].ToString() == "2" ? 2 : 1;
            var body = GraphPayloads.MembersPage(page).Replace("$skiptoken=3", "$skiptoken=2", StringComparison.Ordinal);
            return api.WriteJsonAsync(context, body);
        }));

        // Then paging stops after the repeat and the group's evidence is a collector error saying why
        Assert.Equal(2, run.Api.Count("GET", FakeGraphTenant.MembersPath));
        var error = Assert.Single(run.Errors("entra.group-members"));
        Assert.Equal(GraphIds.GovernanceGroup, error.Subject.Id);
        Assert.Contains("same @odata.nextLink twice", (string?)error.Facts["error"]);
        Assert.Contains("GET /groups/{id}/members", (string?)error.Facts["error"]);
        Assert.Empty(run.OfKind("entra.group-members"));
    }

    [Fact]
    public async Task A_nextLink_to_another_host_is_not_followed_and_the_group_is_reported()
    {
        // Given a members listing whose first page sends the next page to another host (same port, other name)
        await using var run = await StartAsync(api => api.On("GET", FakeGraphTenant.MembersPath, context =>
        {
            var body = GraphPayloads.MembersPage(1).Replace("\"@odata.nextLink\": \"{root}", "\"@odata.nextLink\": \"{elsewhere}", StringComparison.Ordinal)
                .Replace("{elsewhere}", api.Root.Replace("127.0.0.1", "localhost", StringComparison.Ordinal), StringComparison.Ordinal);
            return api.WriteJsonAsync(context, body);
        }));

        // Then the link is not requested at all (the tenant's token goes only to the Graph host) and the group's
        // evidence is a collector error that names the other host
        Assert.Equal(1, run.Api.Count("GET", FakeGraphTenant.MembersPath));
        var error = Assert.Single(run.Errors("entra.group-members"));
        Assert.Equal(GraphIds.GovernanceGroup, error.Subject.Id);
        Assert.Contains("another host (localhost)", (string?)error.Facts["error"]);
        Assert.Contains("GET /groups/{id}/members", (string?)error.Facts["error"]);
    }

    [Fact]
    public async Task A_throttled_request_is_retried_after_Retry_After_and_then_succeeds()
    {
        // Given the owners endpoint answers 429 with Retry-After once
        var calls = 0;
        await using var run = await StartAsync(api => api.On("GET", FakeGraphTenant.OwnersPath, context =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                context.Response.Headers.RetryAfter = "1";
                return api.WriteJsonAsync(context, GraphPayloads.Error("TooManyRequests", "Too many requests, retry after 1 second."), StatusCodes.Status429TooManyRequests);
            }

            return api.WriteJsonAsync(context, GraphPayloads.GroupOwners);
        }));

        // Then the SDK's retry handler tried again and the group's evidence is complete
        Assert.Equal(2, run.Api.Count("GET", FakeGraphTenant.OwnersPath));
        Assert.Empty(run.Errors("entra.group-members"));
        Assert.Equal(1, run.Single("entra.group-members", GraphIds.GovernanceGroup).Facts["ownerCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_forbidden_area_becomes_a_collector_error_naming_the_permission_while_other_areas_succeed()
    {
        // Given the app lacks Policy.Read.All
        await using var run = await StartAsync(api => api.OnJson(
            "GET",
            FakeGraphTenant.PoliciesPath,
            GraphPayloads.Error("AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token."),
            StatusCodes.Status403Forbidden));

        // Then each AI app's conditional-access evidence is an error that says which permission to grant
        var errors = run.Errors("entra.conditional-access");
        Assert.Equal([GraphIds.FraudAppId, GraphIds.VendorAppId], errors.Select(e => e.Subject.Id).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Contains("Policy.Read.All", (string?)e.Facts["error"]));
        Assert.All(errors, e => Assert.Contains("403", (string?)e.Facts["error"]));
        Assert.All(errors, e => Assert.Equal(["A.9.2", "A.9.4"], e.Controls));
        Assert.Empty(run.OfKind("entra.conditional-access"));

        // And the other areas still stored their evidence
        Assert.NotEmpty(run.OfKind("entra.group-members"));
        Assert.NotEmpty(run.OfKind("entra.ai-apps"));
        Assert.NotEmpty(run.OfKind("entra.audit-logs"));
        Assert.All(run.Items.Where(i => i.IsCollectorError), e => Assert.Equal("entra.conditional-access", e.IndexKind));
    }

    [Fact]
    public async Task Without_the_consent_grant_permission_third_party_apps_are_reported_with_what_was_seen()
    {
        await using var run = await StartAsync(api => api.OnJson(
            "GET",
            "/v1.0/oauth2PermissionGrants",
            GraphPayloads.Error("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
            StatusCodes.Status403Forbidden));

        var error = Assert.Single(run.Errors("entra.third-party-apps"));
        Assert.Contains("DelegatedPermissionGrant.Read.All", (string?)error.Facts["error"]);
        Assert.Contains("Authorization_RequestDenied", (string?)error.Facts["error"]);
        Assert.Equal(3, error.Facts["thirdPartyCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task Missing_PIM_eligibility_still_records_active_role_assignments()
    {
        await using var run = await StartAsync(api => api.OnJson(
            "GET",
            "/v1.0/roleManagement/directory/roleEligibilitySchedules",
            GraphPayloads.Error("AadPremiumLicenseRequired", "Entra ID P2 or Governance license is required."),
            StatusCodes.Status403Forbidden));

        var global = run.Single("entra.role-assignments", GraphIds.GlobalAdministrator);
        Assert.False(global.Facts["eligibilityAvailable"]!.GetValue<bool>());
        Assert.Contains("RoleEligibilitySchedule.Read.Directory", (string?)global.Facts["eligibilityError"]);
        Assert.Equal(1, global.Facts["assignmentCount"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_malformed_body_is_reported_for_its_subject_and_the_job_goes_on()
    {
        await using var run = await StartAsync(api => api.OnJson("GET", $"/v1.0/servicePrincipals/{GraphIds.FraudSp}/owners", """{"value": [ {"id": """));

        var error = Assert.Single(run.Errors("entra.ai-apps"));
        Assert.Equal(GraphIds.FraudAppId, error.Subject.Id);
        Assert.Contains("not valid JSON", (string?)error.Facts["error"]);
        Assert.Single(run.OfKind("entra.ai-apps"), i => i.Subject.Id == GraphIds.VendorAppId);
    }

    [Fact]
    public async Task A_configured_app_that_does_not_exist_is_reported_under_its_id()
    {
        const string missing = "0a0b0c0d-0e0f-4a1b-8c2d-3e4f5a6b7c8d";
        await using var run = await StartAsync(
            api => api
                .OnJson("GET", $"/v1.0/servicePrincipals(appId='{missing}')", GraphPayloads.ApplicationNotFound, StatusCodes.Status404NotFound)
                .OnJson("GET", $"/v1.0/servicePrincipals/{missing}", GraphPayloads.ApplicationNotFound, StatusCodes.Status404NotFound),
            settings => settings["Apps:1"] = missing);

        var error = Assert.Single(run.Errors("entra.ai-apps"), e => e.Subject.Id == missing);
        Assert.Contains("No service principal has the appId or id", (string?)error.Facts["error"]);
        Assert.Contains("Aims:Sources:EntraId:Apps", (string?)error.Facts["error"]);
    }

    [Fact]
    public async Task Without_a_configured_tenant_the_tenant_id_is_read_from_the_organization()
    {
        await using var run = await StartAsync(
            api => api.OnJson("GET", "/v1.0/organization", $$"""{ "value": [ { "id": "{{GraphIds.Tenant}}" } ] }"""),
            settings => settings.Remove("TenantId"));

        var item = Assert.Single(run.OfKind("entra.third-party-apps"));
        Assert.Equal(GraphIds.Tenant, (string?)item.Facts["tenantId"]);
        Assert.Equal("id", Assert.Single(run.Api.To("GET", "/v1.0/organization")).QueryValue("$select"));
    }
}
