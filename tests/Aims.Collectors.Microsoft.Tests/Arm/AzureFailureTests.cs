using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Microsoft.Tests.Arm;

/// <summary>How the Azure collector behaves when a subscription fails, a call is forbidden or pages badly.</summary>
public sealed class AzureFailureTests(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
{
    private static readonly string[] AllKinds =
        ["azure.activity-log", "azure.ai-resources", "azure.diagnostic-settings", "azure.model-deployments", "azure.policy-compliance", "azure.role-assignments"];

    private static string Key(string armId) => armId.ToLowerInvariant();

    private Task<AzureRun> StartAsync(
        Action<FakeApi>? routes = null,
        Action<Dictionary<string, string?>>? settings = null,
        Action<EvidenceHarness>? prepare = null) =>
        AzureRun.StartAsync(routes, settings, prepare, fake.Api);

    [Fact]
    public async Task A_subscription_answering_500_is_reported_for_every_kind_while_the_other_subscription_succeeds()
    {
        // Given a second subscription whose every call fails with 500
        await using var run = await StartAsync(
            api => api.OnJson("*", $"/subscriptions/{ArmIds.Broken}*", ArmPayloads.Error("InternalServerError", "Encountered internal server error."), StatusCodes.Status500InternalServerError),
            settings => settings["Subscriptions:1"] = ArmIds.Broken);

        // Then each kind of the broken subscription is a collector error under the subscription, naming the status
        var errors = run.Items.Where(i => i.IsCollectorError).ToList();
        Assert.Equal(AllKinds, errors.Select(e => e.IndexKind).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Equal(("subscription", ArmIds.Broken), (e.Subject.Type, e.Subject.Id)));
        Assert.All(errors, e => Assert.Contains("500", (string?)e.Facts["error"]));
        Assert.Equal($"azure:{ArmIds.Broken}", errors[0].JobId);

        // And the production subscription's evidence is all there
        Assert.Equal(AllKinds, run.Items.Where(i => !i.IsCollectorError).Select(i => i.Kind).Distinct().Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_transient_500_is_retried_by_the_pipeline()
    {
        var calls = 0;
        await using var run = await StartAsync(
            api => api.On("GET", FakeArmEstate.Diagnostics(ArmIds.OpenAi), context => Interlocked.Increment(ref calls) == 1
                ? api.WriteJsonAsync(context, ArmPayloads.Error("InternalServerError", "Try again."), StatusCodes.Status500InternalServerError)
                : api.WriteJsonAsync(context, ArmPayloads.OpenAiDiagnostics)),
            settings => settings["MaxRetries"] = "1");

        Assert.Equal(2, run.Api.Count("GET", FakeArmEstate.Diagnostics(ArmIds.OpenAi)));
        Assert.Equal(1, run.Single("azure.diagnostic-settings", Key(ArmIds.OpenAi)).Facts["settingCount"]!.GetValue<int>());
        Assert.Empty(run.Errors("azure.diagnostic-settings"));
    }

    [Fact]
    public async Task A_forbidden_call_names_the_role_to_assign_and_only_that_subject_and_kind_fail()
    {
        await using var run = await StartAsync(api => api.OnJson(
            "GET",
            FakeArmEstate.Diagnostics(ArmIds.OpenAi),
            ArmPayloads.Error("AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Insights/diagnosticSettings/read'."),
            StatusCodes.Status403Forbidden));

        var error = Assert.Single(run.Items, i => i.IsCollectorError);
        Assert.Equal(("azure.diagnostic-settings", Key(ArmIds.OpenAi)), (error.IndexKind, error.Subject.Id));
        Assert.Contains("403", (string?)error.Facts["error"]);
        Assert.Contains("AuthorizationFailed", (string?)error.Facts["error"]);
        Assert.Contains("Monitoring Reader", (string?)error.Facts["error"]);
        Assert.Contains("Microsoft.Insights/diagnosticSettings/read", (string?)error.Facts["error"]);
        Assert.Equal(2, run.OfKind("azure.diagnostic-settings").Count);
        Assert.Equal(3, run.OfKind("azure.role-assignments").Count);
    }

    [Fact]
    public async Task When_AI_resources_cannot_be_listed_every_kind_that_needs_them_is_reported_and_the_rest_goes_on()
    {
        await using var run = await StartAsync(api => api.OnJson(
            "GET",
            FakeArmEstate.ResourcesPath,
            ArmPayloads.Error("AuthorizationFailed", "The client does not have authorization to perform action 'Microsoft.Resources/subscriptions/resources/read'."),
            StatusCodes.Status403Forbidden));

        var errors = run.Items.Where(i => i.IsCollectorError).ToList();
        Assert.Equal(["azure.ai-resources", "azure.diagnostic-settings", "azure.model-deployments", "azure.role-assignments"], errors.Select(e => e.IndexKind).Order(StringComparer.Ordinal));
        Assert.All(errors, e => Assert.Contains("assign the identity the Azure role Reader", (string?)e.Facts["error"]));
        Assert.Single(run.OfKind("azure.policy-compliance"));
        Assert.Single(run.OfKind("azure.activity-log"));
    }

    [Fact]
    public async Task Unreachable_policy_compliance_still_records_the_assignments_and_says_why()
    {
        await using var run = await StartAsync(api => api.OnJson(
            "POST",
            FakeArmEstate.SummaryPath,
            ArmPayloads.Error("AuthorizationFailed", "No access to Policy Insights."),
            StatusCodes.Status403Forbidden));

        var item = run.Single("azure.policy-compliance", ArmIds.Production);
        Assert.False(item.Facts["complianceAvailable"]!.GetValue<bool>());
        Assert.Contains("Microsoft.PolicyInsights/policyStates/summarize/read", (string?)item.Facts["complianceError"]);
        Assert.Equal(2, item.Facts["assignmentCount"]!.GetValue<int>());
        Assert.Null(item.Facts["nonCompliantResources"]);
    }

    [Fact]
    public async Task A_repeated_nextLink_keeps_what_was_read_and_marks_the_population_incomplete()
    {
        await using var run = await StartAsync(api => api.On("GET", FakeArmEstate.DeploymentsPath, context =>
            api.WriteJsonAsync(context, ArmPayloads.Deployments(1).Replace("$skipToken=2", "$skipToken=1", StringComparison.Ordinal))));

        Assert.Equal(2, run.Api.Count("GET", FakeArmEstate.DeploymentsPath));
        Assert.Empty(run.Errors("azure.model-deployments"));
        var item = run.Single("azure.model-deployments", Key(ArmIds.OpenAi));
        Assert.False(item.Facts["complete"]!.GetValue<bool>());
        Assert.Contains("$skipToken=1", (string?)item.Facts["incompleteReason"]);
        Assert.Contains("twice", (string?)item.Facts["incompleteReason"]);
        Assert.True(item.Facts["deploymentCount"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task A_repeated_nextLink_in_the_resource_listing_keeps_the_resources_read()
    {
        // Given a resource listing whose second page hands out the nextLink that led to it
        await using var run = await StartAsync(api => api.On("GET", FakeArmEstate.ResourcesPath, context =>
            api.WriteJsonAsync(context, ArmPayloads.CognitiveResources(1))));

        var inventory = run.Single("azure.ai-resources", ArmIds.Production);
        Assert.False(inventory.Facts["complete"]!.GetValue<bool>());
        Assert.Contains("twice", (string?)inventory.Facts["incompleteReason"]);
        Assert.Contains(run.Items, i => i.Kind == "azure.ai-resources" && i.Subject.Id == Key(ArmIds.OpenAi));
        Assert.Empty(run.Errors("azure.ai-resources"));
    }

    [Fact]
    public async Task A_broken_next_link_keeps_earlier_pages_and_names_the_link()
    {
        await using var run = await StartAsync(api => api.On("GET", FakeArmEstate.DeploymentsPath, context =>
            context.Request.QueryString.Value?.Contains("skipToken=2", StringComparison.Ordinal) == true
                ? api.WriteJsonAsync(context, ArmPayloads.Error("NotFound", "The skip token is no longer valid."), StatusCodes.Status404NotFound)
                : api.WriteJsonAsync(context, ArmPayloads.Deployments(1))));

        var item = run.Single("azure.model-deployments", Key(ArmIds.OpenAi));
        Assert.False(item.Facts["complete"]!.GetValue<bool>());
        var reason = (string?)item.Facts["incompleteReason"];
        Assert.Contains("next page", reason);
        Assert.Contains("$skipToken=2", reason);
        Assert.Contains("404", reason);
        Assert.True(item.Facts["deploymentCount"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task A_nextLink_to_another_host_is_not_followed_with_the_token()
    {
        await using var run = await StartAsync(api => api.On("GET", FakeArmEstate.DeploymentsPath, context =>
            api.WriteJsonAsync(context, ArmPayloads.Deployments(1).Replace("{root}", "https://attacker.example", StringComparison.Ordinal))));

        var item = run.Single("azure.model-deployments", Key(ArmIds.OpenAi));
        Assert.Contains($"nextLink outside {run.Api.Root}", (string?)item.Facts["incompleteReason"]);
        Assert.Contains("attacker.example", (string?)item.Facts["incompleteReason"]);
        Assert.Equal(1, run.Api.Count("GET", FakeArmEstate.DeploymentsPath));
    }

    [Fact]
    public async Task A_nextLink_to_another_host_in_the_resource_listing_is_not_followed()
    {
        await using var run = await StartAsync(api => api.On("GET", FakeArmEstate.ResourcesPath, context =>
            api.WriteJsonAsync(context, ArmPayloads.CognitiveResources(1).Replace("{root}", "https://attacker.example", StringComparison.Ordinal))));

        var inventory = run.Single("azure.ai-resources", ArmIds.Production);
        Assert.False(inventory.Facts["complete"]!.GetValue<bool>());
        Assert.Contains("nextLink outside", (string?)inventory.Facts["incompleteReason"]);
        Assert.Equal(2, run.Api.Count("GET", FakeArmEstate.ResourcesPath));
    }

    [Fact]
    public async Task A_malformed_resource_id_is_contained_to_that_resource_and_named()
    {
        const string badId = "/subscriptions/not-a-guid/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-bad";
        await using var run = await StartAsync(api => api.On("GET", FakeArmEstate.ResourcesPath, context =>
        {
            var page = context.Request.QueryString.Value?.Contains("skiptoken", StringComparison.OrdinalIgnoreCase) == true ? 2 : 1;
            var body = ArmPayloads.CognitiveResources(page);
            return api.WriteJsonAsync(context, page == 1 ? body.Replace("\"value\": [", $"\"value\": [ {{ \"id\": \"{badId}\", \"name\": \"oai-bad\", \"type\": \"Microsoft.CognitiveServices/accounts\" }},", StringComparison.Ordinal) : body);
        }));

        var error = Assert.Single(run.Errors("azure.ai-resources"));
        Assert.Contains(badId, (string?)error.Facts["error"]);
        Assert.Contains("not a subscription id", (string?)error.Facts["error"]);
        Assert.Contains(run.Items, i => i.Kind == "azure.ai-resources" && i.Subject.Id == Key(ArmIds.OpenAi));
        Assert.Contains(run.Items, i => i.Kind == "azure.diagnostic-settings" && !i.IsCollectorError);
        Assert.Equal(1, run.Single("azure.ai-resources", ArmIds.Production).Facts["malformedIds"]!.GetValue<int>());
    }

    [Fact]
    public async Task An_empty_destination_string_is_no_destination()
    {
        await using var run = await StartAsync(api => api.OnJson("GET", FakeArmEstate.Diagnostics(ArmIds.OpenAi), """
            { "value": [ { "name": "blank", "properties": { "workspaceId": "", "storageAccountId": "  ", "eventHubAuthorizationRuleId": null,
              "logs": [ { "category": "Audit", "enabled": true } ] } } ] }
            """));

        var setting = run.Single("azure.diagnostic-settings", Key(ArmIds.OpenAi)).Facts["settings"]![0]!;
        Assert.Empty(setting["destinations"]!.AsArray());
        Assert.Null(setting["workspaceId"]);
        Assert.Null(setting["storageAccountId"]);
    }

    [Fact]
    public async Task A_malformed_body_is_reported_for_its_subject()
    {
        await using var run = await StartAsync(api => api.OnJson("GET", $"{ArmIds.OpenAi}/raiPolicies", "{\"value\": [ { \"name\": "));

        var error = Assert.Single(run.Items, i => i.IsCollectorError);
        Assert.Equal(("azure.model-deployments", Key(ArmIds.OpenAi)), (error.IndexKind, error.Subject.Id));
        Assert.Contains("not the expected JSON", (string?)error.Facts["error"]);
    }

    [Fact]
    public async Task An_activity_log_period_beyond_the_90_day_retention_is_clamped_and_says_so()
    {
        await using var run = await StartAsync(prepare: harness => harness.Time.SetUtcNow(new DateTimeOffset(2025, 9, 18, 17, 0, 0, TimeSpan.Zero)));

        var item = run.Single("azure.activity-log", ArmIds.Production);
        Assert.True(item.Facts["clampedToRetention"]!.GetValue<bool>());
        Assert.Equal("2025-06-20T17:00:00.000Z", (string?)item.Facts["from"]);
        Assert.StartsWith("eventTimestamp ge '2025-06-20T17:00:00Z'", run.Api.To("GET", FakeArmEstate.ActivityLogPath)[0].QueryValue("$filter"));

        // The fake ignores the filter, so the deployment written at 16:45 that day shows the collector's own guard.
        Assert.Equal(["55bef7c5-4924-46f7-bf38-8531b06ab3f9"], item.Facts["events"]!.AsArray().Select(e => (string)e!["eventDataId"]!));
        Assert.Equal(new DateTimeOffset(2025, 6, 20, 17, 0, 0, TimeSpan.Zero), item.Period!.From);
    }
}
