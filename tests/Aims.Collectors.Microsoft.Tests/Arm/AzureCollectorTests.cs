using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Tests.Fixtures;

namespace Aims.Collectors.Microsoft.Tests.Arm;

public sealed class AzureCollectorTests
{
    private static string Key(string armId) => armId.ToLowerInvariant();

    /// <summary>What one full run against the fake estate stores, kind by kind.</summary>
    public sealed class Collecting(AzureRunFixture fixture) : IClassFixture<AzureRunFixture>
    {
        private AzureRun Run => fixture.Run;

        [Fact]
        public void Every_request_goes_to_a_documented_endpoint_and_every_kind_stores_evidence()
        {
            Assert.Empty(Run.Api.Unmatched);
            Assert.DoesNotContain(Run.Items, i => i.IsCollectorError);
            Assert.Equal(
                ["azure.activity-log", "azure.ai-resources", "azure.diagnostic-settings", "azure.model-deployments", "azure.policy-compliance", "azure.role-assignments"],
                Run.Items.Select(i => i.Kind).Distinct().Order(StringComparer.Ordinal));
        }

        [Fact]
        public void AI_resources_are_listed_through_every_nextLink_and_each_is_read_with_its_api_version()
        {
            var listing = Run.Api.To("GET", FakeArmEstate.ResourcesPath);
            var inventory = Run.Single("azure.ai-resources", ArmIds.Production);

            Assert.Equal(3, listing.Count);
            Assert.Equal("page2", listing[1].QueryValue("$skiptoken"));
            Assert.Equal(3, inventory.Facts["resourceCount"]!.GetValue<int>());
            Assert.Equal("subscription", inventory.Subject.Type);
            Assert.Equal("AI Production (6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f)", inventory.Subject.DisplayName);
            Assert.Equal("2024-10-01", Assert.Single(Run.Api.To("GET", ArmIds.OpenAi)).QueryValue("api-version"));
            Assert.Equal("2024-04-01", Assert.Single(Run.Api.To("GET", ArmIds.Workspace)).QueryValue("api-version"));
        }

        [Fact]
        public void An_OpenAI_account_records_its_network_and_authentication_posture()
        {
            var item = Run.Single("azure.ai-resources", Key(ArmIds.OpenAi));

            Assert.Equal("azure-resource", item.Subject.Type);
            Assert.Equal("oai-fraud", item.Subject.DisplayName);
            Assert.Equal("OpenAI", (string?)item.Facts["kind"]);
            Assert.True(item.Facts["disableLocalAuth"]!.GetValue<bool>());
            Assert.Equal("Disabled", (string?)item.Facts["publicNetworkAccess"]);
            Assert.Equal("Deny", (string?)item.Facts["networkDefaultAction"]);
            Assert.Equal(1, item.Facts["privateEndpointConnectionCount"]!.GetValue<int>());
            Assert.Equal(["A.4.2", "A.4.3"], item.Controls);
        }

        [Fact]
        public void A_workspace_records_its_isolation_and_linked_resources_by_lowercase_id()
        {
            var facts = Run.Single("azure.ai-resources", Key(ArmIds.Workspace)).Facts;

            Assert.Equal("AllowOnlyApprovedOutbound", (string?)facts["managedNetworkIsolation"]);
            Assert.True(facts["hbiWorkspace"]!.GetValue<bool>());
            Assert.Equal("/subscriptions/6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f/resourcegroups/rg-ml/providers/microsoft.keyvault/vaults/kv-ml-fraud", (string?)facts["keyVault"]);
        }

        [Fact]
        public void Model_deployments_are_paged_and_keep_model_capacity_and_content_filter()
        {
            var item = Assert.Single(Run.OfKind("azure.model-deployments"));
            var deployments = item.Facts["deployments"]!.AsArray();

            Assert.Equal(Key(ArmIds.OpenAi), item.Subject.Id);
            Assert.Equal(2, Run.Api.Count("GET", FakeArmEstate.DeploymentsPath));
            Assert.Equal(["gpt-4o", "gpt-4o-mini-eval", "text-embedding-3-large"], deployments.Select(d => (string)d!["name"]!));
            var gpt = deployments[0]!;
            Assert.Equal(("gpt-4o", "Standard", 30L, "fraud-strict"), ((string)gpt["modelName"]!, (string)gpt["skuName"]!, gpt["capacity"]!.GetValue<long>(), (string)gpt["raiPolicyName"]!));
            Assert.Equal(1, item.Facts["deploymentsWithoutRaiPolicy"]!.GetValue<int>());
            Assert.Equal(4, item.Facts["raiPolicies"]![0]!["contentFilters"]!.AsArray().Count);
        }

        [Fact]
        public void Only_accounts_that_host_models_are_asked_for_deployments()
        {
            Assert.Equal(0, Run.Api.Count("GET", $"{ArmIds.Language}/deployments"));
        }

        [Fact]
        public void Diagnostic_settings_show_categories_destinations_and_retention_and_an_empty_list_is_kept()
        {
            var openAi = Run.Single("azure.diagnostic-settings", Key(ArmIds.OpenAi)).Facts;
            var language = Run.Single("azure.diagnostic-settings", Key(ArmIds.Language)).Facts;

            Assert.Equal(["Audit", "RequestResponse"], openAi["enabledLogCategories"]!.AsArray().Select(x => (string)x!));
            var setting = openAi["settings"]![0]!;
            Assert.Equal(["logAnalytics", "storage"], setting["destinations"]!.AsArray().Select(x => (string)x!));
            Assert.Equal(365, setting["logs"]![0]!["retentionDays"]!.GetValue<long>());
            Assert.Equal(0, language["settingCount"]!.GetValue<int>());
            Assert.Equal(["A.6.2.8"], Run.Single("azure.diagnostic-settings", Key(ArmIds.OpenAi)).Controls);
        }

        [Fact]
        public void Role_assignments_include_inherited_ones_with_role_names_looked_up_once()
        {
            var facts = Run.Single("azure.role-assignments", Key(ArmIds.OpenAi)).Facts;
            var byPrincipal = facts["assignments"]!.AsArray().ToDictionary(a => (string)a!["principalId"]!);

            Assert.Equal("atScope()", Run.Api.To("GET", FakeArmEstate.RoleAssignments(ArmIds.OpenAi))[0].QueryValue("$filter"));
            Assert.Equal("Cognitive Services OpenAI User", (string?)byPrincipal[ArmIds.DataScientists]!["roleName"]);
            Assert.False(byPrincipal[ArmIds.DataScientists]!["inherited"]!.GetValue<bool>());
            Assert.True(byPrincipal[ArmIds.Pipeline]!["inherited"]!.GetValue<bool>());
            Assert.Equal(1, Run.Api.Count("GET", ArmIds.ContributorRole));
        }

        [Fact]
        public void Policy_compliance_joins_assignments_with_the_latest_summary()
        {
            var item = Run.Single("azure.policy-compliance", ArmIds.Production);
            var assignment = item.Facts["assignments"]!.AsArray().Single(a => (string?)a!["name"] == "ai-no-local-auth")!;

            Assert.True(item.Facts["complianceAvailable"]!.GetValue<bool>());
            Assert.Equal(2, item.Facts["nonCompliantResources"]!.GetValue<long>());
            Assert.Equal(2, assignment["nonCompliantResources"]!.GetValue<long>());
            Assert.Equal("Default", (string?)assignment["enforcementMode"]);
            Assert.Equal("atScope()", Run.Api.To("GET", $"{FakeArmEstate.Sub}/providers/Microsoft.Authorization/policyAssignments")[0].QueryValue("$filter"));
            Assert.Equal(1, Run.Api.Count("POST", FakeArmEstate.SummaryPath));
        }

        [Fact]
        public void Activity_log_filter_carries_the_period_and_keeps_administrative_events_on_AI_resources()
        {
            var item = Run.Single("azure.activity-log", ArmIds.Production);
            var filters = Run.Api.To("GET", FakeArmEstate.ActivityLogPath).Select(r => r.QueryValue("$filter")).ToList();

            Assert.Equal(
                [
                    "eventTimestamp ge '2025-06-01T00:00:00Z' and eventTimestamp le '2025-07-01T00:00:00Z' and resourceProvider eq 'Microsoft.CognitiveServices'",
                    "eventTimestamp ge '2025-06-01T00:00:00Z' and eventTimestamp le '2025-07-01T00:00:00Z' and resourceProvider eq 'Microsoft.MachineLearningServices'",
                ],
                filters);
            Assert.Equal(2, item.Facts["eventCount"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["deploymentChangeCount"]!.GetValue<int>());
            Assert.False(item.Facts["clampedToRetention"]!.GetValue<bool>());
            Assert.Equal(Infrastructure.EvidenceHarness.Period, item.Period);
        }

        [Fact]
        public async Task Raw_payloads_keep_what_Resource_Manager_sent()
        {
            var account = Run.Single("azure.ai-resources", Key(ArmIds.OpenAi));
            var inventory = Run.Single("azure.ai-resources", ArmIds.Production);

            Assert.Equal("5ab3c2d1e0f94a8b9c7d6e5f4a3b2c1d", (string?)JsonNode.Parse(await Run.Harness.RawAsync(account))!["properties"]!["internalId"]);
            Assert.Equal(3, JsonNode.Parse(await Run.Harness.RawAsync(inventory))!["value"]!.AsArray().Count);
        }

        [Fact]
        public void The_token_goes_to_Resource_Manager_but_never_into_the_store()
        {
            Assert.All(Run.Api.Requests, r => Assert.Equal("Bearer fake-test-token", r.Authorization));
            Assert.DoesNotContain("fake-test-token", Run.Harness.AllStoredText(), StringComparison.Ordinal);
        }

        [Fact]
        public void The_credential_is_asked_for_the_configured_Resource_Manager_audience()
        {
            Assert.Equal(["https://management.azure.com/.default"], Run.Harness.Credential.Requests.SelectMany(s => s).Distinct());
        }

        [Fact]
        public void Plans_one_job_per_subscription()
        {
            var job = Assert.Single(Run.Harness.Jobs);

            Assert.Equal($"azure:{ArmIds.Production}", job.JobId);
            Assert.Equal(ArmIds.Production, job.Parameter("subscription"));
            Assert.Equal("Azure", job.Source);
        }
    }
}
