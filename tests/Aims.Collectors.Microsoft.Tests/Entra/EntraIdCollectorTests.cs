using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Tests.Entra;

public sealed class EntraIdCollectorTests
{
    /// <summary>What one full run against the fake tenant stores, kind by kind.</summary>
    public sealed class Collecting(EntraRunFixture fixture) : IClassFixture<EntraRunFixture>
    {
        private EntraRun Run => fixture.Run;

        [Fact]
        public void Every_request_goes_to_a_documented_endpoint_and_every_area_stores_evidence()
        {
            Assert.Empty(Run.Api.Unmatched);
            Assert.DoesNotContain(Run.Items, i => i.IsCollectorError);
            Assert.Equal(
                ["entra.access-reviews", "entra.ai-apps", "entra.audit-logs", "entra.conditional-access", "entra.group-members", "entra.role-assignments", "entra.third-party-apps"],
                Run.Items.Select(i => i.Kind).Distinct().Order(StringComparer.Ordinal));
        }

        [Fact]
        public void Group_members_are_paged_through_every_nextLink()
        {
            var item = Run.Single("entra.group-members", GraphIds.GovernanceGroup);

            Assert.Equal(5, item.Facts["memberCount"]!.GetValue<int>());
            Assert.Equal(3, Run.Api.Count("GET", FakeGraphTenant.MembersPath));
            Assert.Equal(["2", "3"], Run.Api.To("GET", FakeGraphTenant.MembersPath).Select(r => r.QueryValue("$skiptoken")).OfType<string>());
            Assert.Equal(
                [GraphIds.Diego, GraphIds.Johanna, GraphIds.Alex, GraphIds.Adele, GraphIds.UnrelatedGroup],
                item.Facts["members"]!.AsArray().Select(m => (string)m!["id"]!));
        }

        [Fact]
        public void Group_members_record_members_owners_and_group_settings()
        {
            var facts = Run.Single("entra.group-members", GraphIds.GovernanceGroup).Facts;

            Assert.Equal("AI Governance Board", (string?)facts["group"]!["displayName"]);
            Assert.Equal(GraphIds.Megan, (string?)facts["owners"]![0]!["id"]);
            var diego = facts["members"]!.AsArray().Single(m => (string?)m!["id"] == GraphIds.Diego)!;
            Assert.False(diego["accountEnabled"]!.GetValue<bool>());
            Assert.Equal("group", (string?)facts["members"]!.AsArray().Single(m => (string?)m!["id"] == GraphIds.UnrelatedGroup)!["type"]);
        }

        [Fact]
        public void Group_members_keep_the_delta_link_a_later_run_can_resume_from()
        {
            var facts = Run.Single("entra.group-members", GraphIds.GovernanceGroup).Facts;
            var anchor = Assert.Single(Run.Api.To("GET", "/v1.0/groups/delta"));

            Assert.Equal("latest", anchor.QueryValue("$deltatoken"));
            Assert.Equal($"id eq '{GraphIds.GovernanceGroup}'", anchor.QueryValue("$filter"));
            Assert.Equal(
                "id,displayName,description,securityEnabled,mailEnabled,isAssignableToRole,groupTypes,membershipRule,members,owners",
                anchor.QueryValue("$select"));
            Assert.StartsWith($"{Run.Api.Root}/v1.0/groups/delta?$deltatoken=", (string?)facts["deltaLink"], StringComparison.Ordinal);
            Assert.Equal("full", (string?)facts["readMode"]);
            Assert.Equal("no collector state store", (string?)facts["fullReadReason"]);
        }

        [Fact]
        public void Listings_select_only_the_fields_that_are_stored()
        {
            var first = Run.Api.To("GET", FakeGraphTenant.MembersPath)[0];

            Assert.Equal("id,displayName,userPrincipalName,mail,accountEnabled,userType,appId", first.QueryValue("$select"));
            Assert.All(Run.Api.To("GET", "/v1.0/servicePrincipals"), r => Assert.Contains("appOwnerOrganizationId", r.QueryValue("$select")));
        }

        [Fact]
        public void Privileged_roles_resolve_by_name_or_template_id_with_assignments_and_eligibility()
        {
            var global = Run.Single("entra.role-assignments", GraphIds.GlobalAdministrator);
            var ai = Run.Single("entra.role-assignments", GraphIds.AiAdministrator);

            Assert.Equal("Global Administrator", global.Subject.DisplayName);
            Assert.Equal(GraphIds.Adele, (string?)global.Facts["assignments"]![0]!["principalId"]);
            Assert.Equal(GraphIds.Alex, (string?)global.Facts["eligibilities"]![0]!["principalId"]);
            Assert.Equal("2026-02-14T10:02:11.533Z", (string?)global.Facts["eligibilities"]![0]!["endDateTime"]);
            Assert.Equal("afterDateTime", (string?)global.Facts["eligibilities"]![0]!["expirationType"]);
            Assert.Equal("servicePrincipal", (string?)ai.Facts["assignments"]![0]!["principal"]!["type"]);
            Assert.Equal(0, ai.Facts["eligibilityCount"]!.GetValue<int>());
        }

        [Fact]
        public void AI_apps_come_from_tags_and_configuration_with_their_owners()
        {
            var fraud = Run.Single("entra.ai-apps", GraphIds.FraudAppId);
            var vendor = Run.Single("entra.ai-apps", GraphIds.VendorAppId);

            Assert.Equal(["tag:ai-system"], fraud.Facts["discoveredBy"]!.AsArray().Select(x => (string)x!));
            Assert.True(fraud.Facts["registeredInTenant"]!.GetValue<bool>());
            Assert.Equal(2, fraud.Facts["ownerCount"]!.GetValue<int>());
            var alex = fraud.Facts["owners"]!.AsArray().Single(o => (string?)o!["id"] == GraphIds.Alex)!;
            Assert.Equal(["application", "servicePrincipal"], alex["ownerOf"]!.AsArray().Select(x => (string)x!));

            Assert.Equal(["configured"], vendor.Facts["discoveredBy"]!.AsArray().Select(x => (string)x!));
            Assert.False(vendor.Facts["registeredInTenant"]!.GetValue<bool>());
            Assert.Equal("entra-app", vendor.Subject.Type);
        }

        [Fact]
        public void Third_party_apps_show_consent_grants_and_leave_out_our_own_and_unconsented_Microsoft_apps()
        {
            var item = Assert.Single(Run.OfKind("entra.third-party-apps"));
            var listed = item.Facts["servicePrincipals"]!.AsArray();

            Assert.Equal(new Subject("entra-tenant", GraphIds.Tenant, $"Entra ID tenant {GraphIds.Tenant}").Key, item.Subject.Key);
            var vendor = Assert.Single(listed)!;
            Assert.Equal(GraphIds.VendorAppId, (string?)vendor["appId"]);
            Assert.True(vendor["aiApp"]!.GetValue<bool>());
            Assert.Equal(["User.Read", "openid", "profile"], vendor["delegatedGrants"]!["adminConsentScopes"]!.AsArray().Select(x => (string)x!));
            Assert.Equal(2, vendor["delegatedGrants"]!["userConsentCount"]!.GetValue<int>());
            Assert.Equal(["Microsoft Graph"], vendor["delegatedGrants"]!["resources"]!.AsArray().Select(x => (string)x!));
            Assert.Equal(3, item.Facts["thirdPartyCount"]!.GetValue<int>());
            Assert.Equal(2, item.Facts["microsoftFirstPartyWithoutGrants"]!.GetValue<int>());
        }

        [Fact]
        public void Access_reviews_of_the_governance_group_keep_the_period_instances_and_their_decisions()
        {
            var item = Assert.Single(Run.OfKind("entra.access-reviews"));
            var instance = Assert.Single(item.Facts["instances"]!.AsArray())!;

            Assert.Equal(GraphIds.ReviewDefinition, item.Subject.Id);
            Assert.Equal([GraphIds.GovernanceGroup], item.Facts["coversGroups"]!.AsArray().Select(x => (string)x!));
            Assert.Equal(GraphIds.ReviewInstance, (string?)instance["id"]);
            Assert.Equal("""{"Approve":1,"Deny":1,"NotReviewed":1}""", instance["decisionsByOutcome"]!.ToJsonString());
            Assert.Equal("absoluteMonthly", (string?)item.Facts["definition"]!["recurrence"]);
            var notReviewed = instance["decisions"]!.AsArray().Single(d => (string?)d!["decision"] == "NotReviewed")!;
            Assert.Null(notReviewed["reviewedBy"]);
            Assert.Equal(0, Run.Api.Count("GET", $"/v1.0/identityGovernance/accessReviews/definitions/{GraphIds.ReviewDefinition}/instances/{GraphIds.OldReviewInstance}/decisions"));
        }

        [Fact]
        public void Conditional_access_lists_the_policies_that_apply_to_each_AI_app()
        {
            var fraud = Run.Single("entra.conditional-access", GraphIds.FraudAppId);
            var vendor = Run.Single("entra.conditional-access", GraphIds.VendorAppId);

            Assert.True(fraud.Facts["appRoleAssignmentRequired"]!.GetValue<bool>());
            Assert.Equal(
                [(GraphIds.MfaPolicy, "all", "enabled"), (GraphIds.ReportOnlyPolicy, "explicit", "enabledForReportingButNotEnforced")],
                fraud.Facts["policies"]!.AsArray().Select(p => ((string)p!["id"]!, (string)p["inclusion"]!, (string)p["state"]!)));

            // The MFA-for-all policy excludes the vendor app; only its own policy applies.
            var policy = Assert.Single(vendor.Facts["policies"]!.AsArray())!;
            Assert.Equal(GraphIds.VendorBlockPolicy, (string?)policy["id"]);
            Assert.Equal(["compliantDevice", "mfa"], policy["builtInControls"]!.AsArray().Select(x => (string)x!));
            Assert.False(vendor.Facts["appRoleAssignmentRequired"]!.GetValue<bool>());
        }

        [Fact]
        public void Audit_log_filter_carries_the_period_and_the_app_so_graph_returns_only_matching_entries()
        {
            var filters = Run.Api.To("GET", FakeGraphTenant.AuditsPath).Select(r => r.QueryValue("$filter")).ToList();

            Assert.Contains(
                $"activityDateTime ge 2025-06-01T00:00:00Z and activityDateTime le 2025-07-01T00:00:00Z and targetResources/any(t:t/id eq '{GraphIds.FraudSp}')",
                filters);
            Assert.Contains(filters, f => f!.Contains($"t/id eq '{GraphIds.FraudApplication}'", StringComparison.Ordinal));
            var fraud = Run.Single("entra.audit-logs", GraphIds.FraudAppId);
            Assert.Equal(3, fraud.Facts["entryCount"]!.GetValue<int>());
            Assert.Equal(EvidenceHarnessPeriod, fraud.Period);
            Assert.Equal("success", (string?)fraud.Facts["entries"]![0]!["result"]);
            Assert.Equal(0, Run.Single("entra.audit-logs", GraphIds.VendorAppId).Facts["entryCount"]!.GetValue<int>());
        }

        [Fact]
        public async Task Raw_payload_keeps_the_provider_json_of_the_observation()
        {
            var item = Run.Single("entra.group-members", GraphIds.GovernanceGroup);
            var raw = JsonNode.Parse(await Run.Harness.RawAsync(item))!;

            Assert.Equal("application/json", item.RawMediaType);
            Assert.Equal("#microsoft.graph.user", (string?)raw["members"]![0]!["@odata.type"]);
            Assert.Equal("AdeleV@contoso.com", (string?)raw["members"]!.AsArray().Single(m => (string?)m!["id"] == GraphIds.Adele)!["userPrincipalName"]);
        }

        [Fact]
        public void The_token_goes_to_graph_but_never_into_the_store()
        {
            Assert.All(Run.Api.Requests, r => Assert.Equal("Bearer fake-test-token", r.Authorization));
            Assert.DoesNotContain("fake-test-token", Run.Harness.AllStoredText(), StringComparison.Ordinal);
        }

        [Fact]
        public void The_credential_is_asked_for_the_graph_host_scope()
        {
            var scopes = Run.Harness.Credential.Requests.SelectMany(s => s).Distinct().ToList();

            Assert.Equal([$"{Run.Api.Root}/.default"], scopes);
        }

        [Fact]
        public void Items_name_the_graph_url_they_came_from()
        {
            var item = Run.Single("entra.group-members", GraphIds.GovernanceGroup);

            Assert.Equal($"{Run.Api.Root}/v1.0/groups/{GraphIds.GovernanceGroup}/members", item.Source.Locator);
            Assert.Equal(["A.3.2", "A.4.6"], item.Controls);
        }

        private static EvidencePeriod EvidenceHarnessPeriod => Infrastructure.EvidenceHarness.Period;
    }
}
