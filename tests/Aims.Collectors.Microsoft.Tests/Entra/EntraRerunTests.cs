using System.Text;
using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Collectors.Sources;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Tests.Entra;

/// <summary>
/// Re-runs of the areas other than group members: kept access review decisions, kept audit entries, and the AI apps
/// resolved once per run. Each re-run must store what a full read of the same directory stores.
/// </summary>
public sealed class EntraRerunTests(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
{
    private const string Reviews = "entra.access-reviews";
    private const string Audits = "entra.audit-logs";
    private const string Apps = "entra.ai-apps";
    private const string DecisionsPath = $"{FakeGraphTenant.V}/identityGovernance/accessReviews/definitions/{GraphIds.ReviewDefinition}/instances/{GraphIds.ReviewInstance}/decisions";
    private const string InstancesPath = $"{FakeGraphTenant.V}/identityGovernance/accessReviews/definitions/{GraphIds.ReviewDefinition}/instances";
    private const string FraudRegistrationPath = $"{FakeGraphTenant.V}/applications(appId='{GraphIds.FraudAppId}')";
    private static readonly string ReviewStateKey = $"access-reviews.{GraphIds.ReviewDefinition}.{GraphIds.ReviewInstance}.json";
    private static readonly string AuditStateKey = $"audit-logs.{GraphIds.FraudSp}.json";

    private Task<EntraRun> StartAsync(Action<FakeApi>? routes = null, EvidencePeriod? period = null) =>
        EntraRun.StartAsync(routes, shared: fake.Api, withState: true, period: period);

    /// <summary>The facts without the read-mode bookkeeping, as canonical text: what must agree between read modes.</summary>
    private static string Evidence(EvidenceItem item)
    {
        var facts = item.Facts.DeepClone().AsObject();
        facts.Remove("readMode");
        facts.Remove("instancesFromState");
        return CanonicalJson.ToText(facts);
    }

    private static Task SaveStateAsync(EntraRun run, string key, string text) =>
        new EvidenceStoreCollectorState(run.Harness.Store).SaveAsync("EntraId", key, new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static async Task<bool> HasStateAsync(EntraRun run, string key)
    {
        await using var stream = await new EvidenceStoreCollectorState(run.Harness.Store).OpenAsync("EntraId", key);
        return stream is not null;
    }

    /// <summary>The fixture's instances with the in-period one in <paramref name="status"/>.</summary>
    private static void InstanceStatus(FakeApi api, string status)
    {
        var page = JsonNode.Parse(GraphPayloads.ReviewInstances)!;
        page["value"]!.AsArray().Single(i => (string?)i!["id"] == GraphIds.ReviewInstance)!["status"] = status;
        api.OnJson("GET", InstancesPath, page.ToJsonString());
    }

    /// <summary>The fixture's decisions plus one more for Nestor.</summary>
    private static string DecisionsWithNestor()
    {
        var page = JsonNode.Parse(GraphPayloads.ReviewDecisions)!;
        page["value"]!.AsArray().Add(JsonNode.Parse($$"""
            {
              "id": "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f", "accessReviewId": "{{GraphIds.ReviewInstance}}", "reviewedDateTime": "2025-06-22T09:30:00Z",
              "decision": "Approve", "justification": "Uses the model daily", "applyResult": "New", "recommendation": "Approve",
              "reviewedBy": { "id": "{{GraphIds.Megan}}", "displayName": "Megan Bowen", "userPrincipalName": "MeganB@contoso.com" },
              "principal": { "@odata.type": "#microsoft.graph.userIdentity", "id": "{{GraphIds.Nestor}}", "displayName": "Nestor Wilke", "userPrincipalName": "NestorW@contoso.com" }
            }
            """));
        return page.ToJsonString();
    }

    public sealed class AccessReviewDecisions(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
    {
        private readonly EntraRerunTests _t = new(fake);

        [Fact]
        public async Task Decisions_of_an_applied_instance_are_kept_and_not_read_again()
        {
            // Given a first run that read the decisions of an instance already applied
            await using var run = await _t.StartAsync(api => InstanceStatus(api, "Applied"));
            var first = run.Single(Reviews, GraphIds.ReviewDefinition);
            Assert.Equal("full", (string?)first.Facts["readMode"]);
            Assert.True(await HasStateAsync(run, ReviewStateKey));

            // When the job runs again with nothing changed
            await run.RunAgainAsync();

            // Then the decisions come from state, the listings are still read, and the evidence is the same
            var second = run.Single(Reviews, GraphIds.ReviewDefinition);
            Assert.Equal(0, run.Api.Count("GET", DecisionsPath));
            Assert.Equal(1, run.Api.Count("GET", InstancesPath));
            Assert.Equal(1, run.Api.Count("GET", $"{FakeGraphTenant.V}/identityGovernance/accessReviews/definitions"));
            Assert.Equal("incremental", (string?)second.Facts["readMode"]);
            Assert.Equal(1, second.Facts["instancesFromState"]!.GetValue<int>());
            Assert.Equal(Evidence(first), Evidence(second));
            Assert.Equal(first.Summary, second.Summary);
            Assert.Equal(await run.Harness.RawAsync(first), await run.Harness.RawAsync(second));

            // And a run without state stores the same facts
            await run.RunAgainAsync(withState: false);
            Assert.Equal(Evidence(first), Evidence(run.Single(Reviews, GraphIds.ReviewDefinition)));
        }

        [Fact]
        public async Task A_completed_instance_with_decisions_not_yet_applied_is_read_again()
        {
            // The fixture's instance is Completed with a NotReviewed decision whose apply result is New: an admin may still apply it.
            await using var run = await _t.StartAsync();
            Assert.False(await HasStateAsync(run, ReviewStateKey));

            await run.RunAgainAsync();

            Assert.Equal(1, run.Api.Count("GET", DecisionsPath));
            Assert.Equal("full", (string?)run.Single(Reviews, GraphIds.ReviewDefinition).Facts["readMode"]);
        }

        [Fact]
        public async Task A_new_decision_on_an_instance_in_progress_is_picked_up()
        {
            await using var run = await _t.StartAsync(api => InstanceStatus(api, "InProgress"));
            Assert.Equal(3, run.Single(Reviews, GraphIds.ReviewDefinition).Facts["instances"]![0]!["decisionCount"]!.GetValue<int>());

            run.Api.OnJson("GET", DecisionsPath, DecisionsWithNestor());
            await run.RunAgainAsync();

            var item = run.Single(Reviews, GraphIds.ReviewDefinition);
            Assert.Equal(1, run.Api.Count("GET", DecisionsPath));
            Assert.Equal(4, item.Facts["instances"]![0]!["decisionCount"]!.GetValue<int>());
            Assert.Contains(GraphIds.Nestor, item.Facts["instances"]![0]!["decisions"]!.AsArray().Select(d => (string?)d!["principalId"]));
            Assert.False(await HasStateAsync(run, ReviewStateKey));
        }

        [Fact]
        public async Task An_instance_that_becomes_applied_is_read_once_more_then_kept()
        {
            await using var run = await _t.StartAsync(api => InstanceStatus(api, "InProgress"));

            InstanceStatus(run.Api, "Applied");
            await run.RunAgainAsync();
            Assert.Equal(1, run.Api.Count("GET", DecisionsPath));
            var applied = run.Single(Reviews, GraphIds.ReviewDefinition);

            await run.RunAgainAsync();
            Assert.Equal(0, run.Api.Count("GET", DecisionsPath));
            Assert.Equal(Evidence(applied), Evidence(run.Single(Reviews, GraphIds.ReviewDefinition)));
        }

        [Theory]
        [InlineData("not json")]
        [InlineData("""{"format":99,"kind":"entra.access-reviews"}""")]
        [InlineData("""{"format":1,"kind":"entra.access-reviews","graphRoot":"https://graph.microsoft.com/v1.0","definitionId":"x","instanceId":"y","decisionFacts":{"decisions":[]},"rawDecisions":[]}""")]
        public async Task Unusable_state_means_the_decisions_are_read_in_full(string state)
        {
            await using var run = await _t.StartAsync(api => InstanceStatus(api, "Applied"));
            var first = run.Single(Reviews, GraphIds.ReviewDefinition);
            await SaveStateAsync(run, ReviewStateKey, state);

            await run.RunAgainAsync();

            Assert.Equal(1, run.Api.Count("GET", DecisionsPath));
            var second = run.Single(Reviews, GraphIds.ReviewDefinition);
            Assert.Equal("full", (string?)second.Facts["readMode"]);
            Assert.Equal(Evidence(first), Evidence(second));
        }
    }

    public sealed class AuditEntries(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
    {
        private readonly EntraRerunTests _t = new(fake);

        /// <summary>June up to two days after the harness clock: still open, so a re-run must ask Graph again.</summary>
        private static readonly EvidencePeriod OpenPeriod = new(EvidenceHarness.Period.From, EvidenceHarness.Now.AddDays(2));

        [Fact]
        public async Task A_re_run_of_a_closed_period_sends_no_audit_requests_and_stores_the_same_entries()
        {
            // Given a first run a day after June ended (past the ingestion margin)
            await using var run = await _t.StartAsync();
            var first = run.Single(Audits, GraphIds.FraudAppId);
            Assert.Equal(3, first.Facts["entryCount"]!.GetValue<int>());

            // When it runs again
            await run.RunAgainAsync();

            // Then the kept entries stand for the period and Graph is not asked
            Assert.Equal(0, run.Api.Count("GET", FakeGraphTenant.AuditsPath));
            var second = run.Single(Audits, GraphIds.FraudAppId);
            Assert.Equal("incremental", (string?)second.Facts["readMode"]);
            Assert.Equal(Evidence(first), Evidence(second));
            Assert.Equal(first.Summary, second.Summary);
            Assert.Equal(first.Source, second.Source);

            await run.RunAgainAsync(withState: false);
            Assert.Equal(Evidence(first), Evidence(run.Single(Audits, GraphIds.FraudAppId)));
        }

        [Fact]
        public async Task A_re_run_of_an_open_period_asks_only_since_the_kept_coverage_and_picks_up_a_new_entry()
        {
            await using var run = await _t.StartAsync(period: OpenPeriod);
            Assert.Equal("full", (string?)run.Single(Audits, GraphIds.FraudAppId).Facts["readMode"]);

            // A new entry for the fraud model's service principal lands after the first run
            var page = JsonNode.Parse(GraphPayloads.DirectoryAuditsForFraudSp)!;
            var added = page["value"]![0]!.DeepClone();
            added["id"] = "Directory_aa11bb22-cc33-4dd4-8ee5-ff6600778899_NEW01_00000001";
            added["activityDateTime"] = "2025-07-02T15:00:00Z";
            added["activityDisplayName"] = "Remove owner from service principal";
            page["value"]!.AsArray().Add(added);
            run.Api.On("GET", FakeGraphTenant.AuditsPath, context =>
                run.Api.WriteJsonAsync(context, context.Request.Query["$filter"].ToString().Contains(GraphIds.FraudSp, StringComparison.Ordinal)
                    ? page.ToJsonString()
                    : context.Request.Query["$filter"].ToString().Contains(GraphIds.FraudApplication, StringComparison.Ordinal) ? GraphPayloads.DirectoryAuditsForFraudApplication : GraphPayloads.Empty));

            await run.RunAgainAsync(TimeSpan.FromHours(12));

            // Then each target was asked from the first run's time less the margin, and the entry is in, once
            var asked = run.Api.To("GET", FakeGraphTenant.AuditsPath).Select(r => r.QueryValue("$filter")!).ToList();
            Assert.Equal(3, asked.Count);
            Assert.All(asked, f => Assert.StartsWith("activityDateTime ge 2025-07-01T09:00:00Z and activityDateTime le 2025-07-04T09:00:00Z", f, StringComparison.Ordinal));
            var incremental = run.Single(Audits, GraphIds.FraudAppId);
            Assert.Equal("incremental", (string?)incremental.Facts["readMode"]);
            Assert.Equal(4, incremental.Facts["entryCount"]!.GetValue<int>());
            Assert.Equal("Remove owner from service principal", (string?)incremental.Facts["entries"]![3]!["activityDisplayName"]);

            // And a full read of the same log agrees
            await run.RunAgainAsync(TimeSpan.FromMinutes(1), withState: false);
            Assert.Equal(Evidence(incremental), Evidence(run.Single(Audits, GraphIds.FraudAppId)));
        }

        [Fact]
        public async Task A_period_that_starts_earlier_than_the_kept_one_is_read_in_full()
        {
            await using var run = await _t.StartAsync();
            run.Harness.PlanPeriod = new EvidencePeriod(EvidenceHarness.Period.From.AddMonths(-1), EvidenceHarness.Period.To);

            await run.RunAgainAsync();

            Assert.Equal("full", (string?)run.Single(Audits, GraphIds.FraudAppId).Facts["readMode"]);
            Assert.Contains(run.Api.To("GET", FakeGraphTenant.AuditsPath), r => r.QueryValue("$filter")!.StartsWith("activityDateTime ge 2025-05-01T00:00:00Z", StringComparison.Ordinal));
        }

        [Fact]
        public async Task A_later_period_start_drops_kept_entries_before_it()
        {
            await using var run = await _t.StartAsync();
            run.Harness.PlanPeriod = new EvidencePeriod(new DateTimeOffset(2025, 6, 15, 0, 0, 0, TimeSpan.Zero), EvidenceHarness.Period.To);

            await run.RunAgainAsync();

            var item = run.Single(Audits, GraphIds.FraudAppId);
            Assert.Equal(0, run.Api.Count("GET", FakeGraphTenant.AuditsPath));
            Assert.Equal("incremental", (string?)item.Facts["readMode"]);
            Assert.Equal(2, item.Facts["entryCount"]!.GetValue<int>());
            await run.RunAgainAsync(TimeSpan.FromMinutes(1), withState: false);
            Assert.Equal(Evidence(item), Evidence(run.Single(Audits, GraphIds.FraudAppId)));
        }

        [Theory]
        [InlineData("{")]
        [InlineData("""{"format":1,"kind":"entra.audit-logs","graphRoot":"elsewhere"}""")]
        public async Task Unusable_state_means_a_full_read(string state)
        {
            await using var run = await _t.StartAsync();
            var first = run.Single(Audits, GraphIds.FraudAppId);
            await SaveStateAsync(run, AuditStateKey, state);

            await run.RunAgainAsync();

            Assert.Equal(2, run.Api.Count("GET", FakeGraphTenant.AuditsPath));
            var second = run.Single(Audits, GraphIds.FraudAppId);
            Assert.Equal("full", (string?)second.Facts["readMode"]);
            Assert.Equal(Evidence(first), Evidence(second));
        }

        [Fact]
        public async Task State_older_than_FullReadEveryDays_means_a_full_read()
        {
            await using var run = await _t.StartAsync();

            await run.RunAgainAsync(TimeSpan.FromDays(8));

            Assert.Equal("full", (string?)run.Single(Audits, GraphIds.FraudAppId).Facts["readMode"]);
        }
    }

    public sealed class AiAppsOfARun(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
    {
        private readonly EntraRerunTests _t = new(fake);

        private static int TagQueries(EntraRun run) =>
            run.Api.To("GET", $"{FakeGraphTenant.V}/servicePrincipals").Count(r => r.QueryValue("$filter")?.Contains("tags/any", StringComparison.Ordinal) == true);

        [Fact]
        public async Task The_apps_and_their_registrations_are_resolved_once_per_run_and_the_items_match_a_run_without_state()
        {
            await using var run = await _t.StartAsync();
            var withState = run.Items.Where(i => !i.IsCollectorError).ToDictionary(i => $"{i.Kind} {i.Subject.Id}", Evidence);

            Assert.Equal(1, TagQueries(run));
            Assert.Equal(1, run.Api.Count("GET", $"{FakeGraphTenant.V}/servicePrincipals(appId='{GraphIds.VendorAppId}')"));
            Assert.Equal(1, run.Api.Count("GET", FraudRegistrationPath));

            await run.RunAgainAsync(withState: false);
            Assert.Equal(4, TagQueries(run));
            Assert.Equal(2, run.Api.Count("GET", FraudRegistrationPath));
            foreach (var kind in new[] { Apps, Audits, Reviews, "entra.conditional-access" })
            {
                Assert.All(run.OfKind(kind), item => Assert.Equal(withState[$"{item.Kind} {item.Subject.Id}"], Evidence(item)));
            }
        }

        [Fact]
        public async Task Jobs_running_in_parallel_resolve_the_ai_apps_once()
        {
            await using var run = await EntraRun.StartAsync(shared: fake.Api, withState: true, parallel: true);

            Assert.Equal(1, TagQueries(run));
            Assert.Equal(1, run.Api.Count("GET", $"{FakeGraphTenant.V}/servicePrincipals(appId='{GraphIds.VendorAppId}')"));
            Assert.DoesNotContain(run.Items, i => i.IsCollectorError);
        }

        [Fact]
        public async Task A_later_run_resolves_again_and_sees_a_changed_app()
        {
            await using var run = await _t.StartAsync();
            run.Api.On("GET", $"{FakeGraphTenant.V}/servicePrincipals", context =>
                run.Api.WriteJsonAsync(context, context.Request.Query["$filter"].ToString().Contains("tags/any", StringComparison.Ordinal)
                    ? GraphPayloads.TaggedServicePrincipals.Replace("\"Fraud Scoring Model\"", "\"Fraud Scoring Model v2\"", StringComparison.Ordinal)
                    : GraphPayloads.AllServicePrincipals));

            await run.RunAgainAsync();

            Assert.Equal(1, TagQueries(run));
            Assert.Equal("Fraud Scoring Model v2", (string?)run.Single(Apps, GraphIds.FraudAppId).Facts["servicePrincipal"]!["displayName"]);
        }

        [Fact]
        public async Task A_failed_resolution_is_not_kept_so_every_job_reports_it()
        {
            await using var run = await _t.StartAsync(api => api.OnJson(
                "GET",
                $"{FakeGraphTenant.V}/servicePrincipals(appId='{GraphIds.VendorAppId}')",
                GraphPayloads.Error("Authorization_RequestDenied", "Insufficient privileges to complete the operation."),
                403));

            Assert.Equal(4, TagQueries(run));
            Assert.NotEmpty(run.Errors(Apps));
            Assert.NotEmpty(run.Errors(Audits));
        }
    }
}
