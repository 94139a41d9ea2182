using System.Text;
using System.Text.Json.Nodes;
using Aims.Collectors.Tests.GitHub;

namespace Aims.Collectors.Tests.Ticketing;

public sealed class JiraCollectorTests
{
    public sealed class Paging
    {
        [Fact]
        public async Task Pages_through_nextPageToken_until_the_last_page()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "concerns";
            FakeJira.Search(h, r => FakeJira.Token(r) switch
            {
                null => FakeJira.Page("tok-2", FakeJira.Issue("FRAUD", 1), FakeJira.Issue("FRAUD", 2)),
                "tok-2" => FakeJira.Page("tok-3", FakeJira.Issue("FRAUD", 3), FakeJira.Issue("FRAUD", 4)),
                "tok-3" => FakeJira.Page(null, FakeJira.Issue("FRAUD", 5)),
                _ => FakeResponse.Error(400, "unexpected token"),
            });

            await h.CollectAsync();

            var searches = h.Fake.RequestsTo(FakeJira.SearchPath);
            Assert.Equal(["(first)", "tok-2", "tok-3"], searches.Select(r => FakeJira.Token(r) ?? "(first)").ToArray());
            Assert.All(searches, r => Assert.Equal("POST", r.Method));
            var item = await h.ItemAsync("ticket.concerns", "jira/FRAUD/concerns");
            Assert.Equal(5, item.Facts["count"]!.GetValue<int>());
            Assert.True(item.Facts["complete"]!.GetValue<bool>());
            Assert.Equal(["FRAUD-1", "FRAUD-2", "FRAUD-3", "FRAUD-4", "FRAUD-5"],
                item.Facts["concerns"]!.AsArray().Select(c => c!["key"]!.GetValue<string>()).ToArray());
        }

        [Fact]
        public async Task A_repeated_token_stops_paging_and_marks_the_population_incomplete()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "concerns";
            FakeJira.Search(h, r => FakeJira.Token(r) switch
            {
                null => FakeJira.Page("tok-A", FakeJira.Issue("FRAUD", 1)),
                _ => FakeJira.Page("tok-A", FakeJira.Issue("FRAUD", 2)),
            });

            await h.CollectAsync();

            Assert.Equal(2, h.Fake.RequestsTo(FakeJira.SearchPath).Count);
            var item = await h.ItemAsync("ticket.concerns", "jira/FRAUD/concerns");
            Assert.False(item.Facts["complete"]!.GetValue<bool>());
            Assert.Contains("continuation token", item.Facts["incompleteReason"]!.GetValue<string>());
            Assert.Equal(2, item.Facts["count"]!.GetValue<int>());
            Assert.Contains("incomplete", item.Summary);
        }

        [Fact]
        public async Task A_changelog_cut_short_by_the_search_is_read_in_full()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "impact-assessments";
            FakeJira.Search(h, _ => FakeJira.Fixture("truncated-changelog-issue.json"));
            h.Fake.Get("rest/api/3/issue/10020/changelog", r => r.Q("startAt") switch
            {
                "0" => FakeJira.Fixture("changelog-page-1.json"),
                "2" => FakeJira.Fixture("changelog-page-2.json"),
                _ => FakeResponse.Error(400, "unexpected startAt"),
            });

            await h.CollectAsync();

            Assert.Equal(["0", "2"], h.Fake.RequestsTo("rest/api/3/issue/10020/changelog").Select(r => r.Q("startAt") ?? "").ToArray());
            var item = await h.ItemAsync("ticket.impact-assessments", "jira/FRAUD/impact-assessments");
            var assessment = Assert.Single(item.Facts["assessments"]!.AsArray())!;
            Assert.Equal("Ana Ortiz", assessment["approvedBy"]!.GetValue<string>());
            Assert.Equal("2025-03-18T09:15:00Z", assessment["approvedOn"]!.GetValue<string>());
            Assert.Equal(0, item.Facts["withoutApproval"]!.GetValue<int>());
            var raw = await h.RawAsync(item);
            Assert.Equal(3, raw["tickets"]![0]!["transitions"]!.AsArray().Count);
        }
    }

    public sealed class Query
    {
        [Fact]
        public async Task The_jql_combines_the_configured_query_the_projects_and_the_period()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            h.Settings["Projects"] = "FRAUD,churn";
            h.Settings["Queries:Incidents"] = "issuetype = Bug AND labels = \"ai\"";
            h.Settings["PageSize"] = "50";
            FakeJira.Search(h, _ => FakeJira.Page(null));

            await h.CollectAsync();

            var body = FakeJira.Body(Assert.Single(h.Fake.RequestsTo(FakeJira.SearchPath)));
            Assert.Equal(
                "(issuetype = Bug AND labels = \"ai\") AND project in (\"FRAUD\", \"CHURN\") AND created < \"2025-04-02\" AND (updated >= \"2024-12-31\" OR statusCategory != Done) ORDER BY created ASC, key ASC",
                body["jql"]!.GetValue<string>());
            Assert.Equal("changelog", body["expand"]!.GetValue<string>());
            Assert.Equal(50, body["maxResults"]!.GetValue<int>());
            var fields = body["fields"]!.AsArray().Select(f => f!.GetValue<string>()).ToArray();
            Assert.Contains("resolutiondate", fields);
            Assert.Contains("status", fields);
            Assert.DoesNotContain("description", fields);
            Assert.DoesNotContain("comment", fields);
            Assert.False(body.ContainsKey("nextPageToken"));
        }

        [Fact]
        public async Task Each_kind_runs_its_default_query()
        {
            await using var h = await TicketingHarness.JiraAsync();
            FakeJira.Search(h, _ => FakeJira.Page(null));

            await h.CollectAsync();

            var jqls = h.Fake.RequestsTo(FakeJira.SearchPath).Select(FakeJira.Jql).ToList();
            Assert.Equal(6, jqls.Count);
            Assert.Contains(jqls, q => q.StartsWith("(issuetype = \"AI Incident\") AND ", StringComparison.Ordinal));
            Assert.Contains(jqls, q => q.StartsWith("(labels = \"ai-concern\") AND ", StringComparison.Ordinal));
            Assert.Contains(jqls, q => q.StartsWith("(labels = \"ai-change\") AND ", StringComparison.Ordinal));
            Assert.Contains(jqls, q => q.StartsWith("(labels = \"ai-nonconformity\") AND ", StringComparison.Ordinal));
        }

        [Fact]
        public async Task Sends_basic_credentials_of_email_and_api_token()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => FakeJira.Page(null));

            await h.CollectAsync();

            var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"aims-bot@contoso.example:{TicketingHarness.Secret}"));
            Assert.Equal(expected, Assert.Single(h.Fake.RequestsTo(FakeJira.SearchPath)).Header("Authorization"));
        }

        [Fact]
        public async Task Sends_an_oauth_bearer_token_through_a_path_prefixed_https_base_url()
        {
            await using var h = await TicketingHarness.JiraAsync(prefix: "/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421", https: true);
            h.Settings.Remove("Email");
            h.Settings.Remove("ApiToken");
            h.Settings["BearerToken"] = TicketingHarness.BearerSecret;
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => FakeJira.Fixture("search-incidents.json"));

            await h.CollectAsync();

            Assert.StartsWith("https://", h.Fake.ApiRoot.AbsoluteUri, StringComparison.Ordinal);
            Assert.Equal($"Bearer {TicketingHarness.BearerSecret}", Assert.Single(h.Fake.RequestsTo(FakeJira.SearchPath)).Header("Authorization"));
            var item = await h.ItemAsync("ticket.incidents", "jira/FRAUD/incidents");
            Assert.Equal("/ex/jira/1324a887-45db-1bf4-1e99-ef0ff456d421/rest/api/3/search/jql", item.Source.Locator);
            Assert.Equal(h.Fake.ApiRoot.AbsoluteUri + "browse/FRAUD-1", item.Facts["incidents"]![0]!["url"]!.GetValue<string>());
        }
    }

    public sealed class Incidents
    {
        [Fact]
        public async Task Detection_notification_and_resolution_times_come_from_fields_and_changelog()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => FakeJira.Fixture("search-incidents.json"));

            await h.CollectAsync();

            var fraud = await h.ItemAsync("ticket.incidents", "jira/FRAUD/incidents");
            Assert.Equal("ticket-query", fraud.Subject.Type);
            Assert.Equal("FRAUD", fraud.Facts["project"]!.GetValue<string>());
            Assert.Equal(TicketingHarness.Period, fraud.Period);
            Assert.Equal(2, fraud.Facts["count"]!.GetValue<int>());
            Assert.Equal(1, fraud.Facts["open"]!.GetValue<int>());
            Assert.Equal(1, fraud.Facts["resolved"]!.GetValue<int>());
            Assert.Equal(30, fraud.Facts["medianHoursToResolve"]!.GetValue<double>());
            Assert.Equal(4, fraud.Facts["medianHoursToNotify"]!.GetValue<double>());
            var first = fraud.Facts["incidents"]![0]!;
            Assert.Equal("FRAUD-1", first["key"]!.GetValue<string>());
            Assert.Equal("2025-01-10T08:00:00Z", first["detectedAt"]!.GetValue<string>());
            Assert.Equal("2025-01-10T12:00:00Z", first["notifiedAt"]!.GetValue<string>());
            Assert.Equal("2025-01-11T14:00:00Z", first["resolvedAt"]!.GetValue<string>());
            Assert.Equal("Ana Ortiz", first["resolvedBy"]!.GetValue<string>());
            Assert.Equal(30, first["hoursToResolve"]!.GetValue<double>());
            Assert.True(fraud.Facts["incidents"]![1]!["open"]!.GetValue<bool>());

            // Offsets are normalized to UTC; no notified status means no notification time.
            var churn = await h.ItemAsync("ticket.incidents", "jira/CHURN/incidents");
            Assert.Equal("CHURN", churn.Facts["project"]!.GetValue<string>());
            var churnIncident = Assert.Single(churn.Facts["incidents"]!.AsArray())!;
            Assert.Equal("2025-02-01T04:00:00Z", churnIncident["detectedAt"]!.GetValue<string>());
            Assert.Null(churnIncident["notifiedAt"]);
            Assert.Equal(97, churn.Facts["medianHoursToResolve"]!.GetValue<double>());
        }

        [Fact]
        public async Task Issues_outside_the_period_are_left_out()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => FakeJira.Fixture("search-incidents.json"));

            await h.CollectAsync();

            var keys = (await h.ItemsAsync()).SelectMany(i => i.Facts["incidents"]!.AsArray()).Select(x => x!["key"]!.GetValue<string>()).ToList();
            Assert.DoesNotContain("FRAUD-4", keys);
            Assert.DoesNotContain("FRAUD-5", keys);
            Assert.Equal(3, keys.Count);
        }

        [Fact]
        public async Task A_configured_notified_field_wins_over_the_notified_status()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            h.Settings["NotifiedField"] = "customfield_10070";
            var page = JsonNode.Parse(TicketFixtures.Jira("search-incidents.json"))!;
            page["issues"]![0]!["fields"]!["customfield_10070"] = "2025-01-10T09:30:00.000+0000";
            FakeJira.Search(h, _ => FakeResponse.Ok(page.ToJsonString()));

            await h.CollectAsync();

            Assert.Contains("customfield_10070", FakeJira.Body(h.Fake.RequestsTo(FakeJira.SearchPath)[0])["fields"]!.AsArray().Select(f => f!.GetValue<string>()));
            var fraud = await h.ItemAsync("ticket.incidents", "jira/FRAUD/incidents");
            Assert.Equal("2025-01-10T09:30:00Z", fraud.Facts["incidents"]![0]!["notifiedAt"]!.GetValue<string>());
            Assert.Equal(1.5, fraud.Facts["medianHoursToNotify"]!.GetValue<double>());
        }

        [Fact]
        public async Task Configured_projects_without_issues_still_get_an_item_with_no_median()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            h.Settings["Projects"] = "FRAUD,SEC";
            FakeJira.Search(h, _ => FakeJira.Page(null, FakeJira.Issue("FRAUD", 1)));

            await h.CollectAsync();

            var sec = await h.ItemAsync("ticket.incidents", "jira/SEC/incidents");
            Assert.Equal("SEC", sec.Facts["project"]!.GetValue<string>());
            Assert.Equal(0, sec.Facts["count"]!.GetValue<int>());
            Assert.True(sec.Facts.ContainsKey("medianHoursToResolve"));
            Assert.Null(sec.Facts["medianHoursToResolve"]);
            Assert.Empty(sec.Facts["incidents"]!.AsArray());
            Assert.Equal(1, (await h.ItemAsync("ticket.incidents", "jira/FRAUD/incidents")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task An_empty_result_without_configured_projects_is_one_item_for_any_project()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => FakeJira.Page(null));

            await h.CollectAsync();

            var item = Assert.Single(await h.ItemsAsync());
            Assert.Equal("jira/*/incidents", item.Subject.Id);
            Assert.Equal(0, item.Facts["count"]!.GetValue<int>());
            Assert.False(item.Facts.ContainsKey("project"));
        }
    }

    public sealed class Approvals
    {
        [Fact]
        public async Task The_changelog_transition_into_an_approval_status_names_approver_and_date()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "change-requests";
            FakeJira.Search(h, _ => FakeJira.Fixture("search-change-requests.json"));

            await h.CollectAsync();

            var item = await h.ItemAsync("ticket.change-requests", "jira/FRAUD/change-requests");
            var changes = item.Facts["changes"]!.AsArray().ToDictionary(c => c!["key"]!.GetValue<string>(), c => c!);
            Assert.Equal("Ana Ortiz", changes["FRAUD-10"]["approvedBy"]!.GetValue<string>());
            Assert.Equal("2025-02-10T11:30:00Z", changes["FRAUD-10"]["approvedOn"]!.GetValue<string>());
            Assert.Equal("Ana Ortiz", changes["FRAUD-10"]["approvers"]![0]!["name"]!.GetValue<string>());
            Assert.False(changes["FRAUD-10"]["selfApproved"]!.GetValue<bool>());
            Assert.True(changes["FRAUD-11"]["withoutApproval"]!.GetValue<bool>());
            Assert.True(changes["FRAUD-12"]["canceled"]!.GetValue<bool>());
            Assert.False(changes["FRAUD-12"]["withoutApproval"]!.GetValue<bool>());
            Assert.True(changes["FRAUD-13"]["open"]!.GetValue<bool>());
            Assert.True(changes["FRAUD-14"]["selfApproved"]!.GetValue<bool>());

            Assert.Equal(5, item.Facts["count"]!.GetValue<int>());
            Assert.Equal(2, item.Facts["approved"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["withoutApproval"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["pendingApproval"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["canceled"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["selfApproved"]!.GetValue<int>());
            Assert.Contains("1 closed without approval", item.Summary);
        }

        [Fact]
        public async Task Approval_statuses_are_configurable()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "change-requests";
            h.Settings["ApprovalStatuses"] = "Awaiting approval";
            FakeJira.Search(h, _ => FakeJira.Fixture("search-change-requests.json"));

            await h.CollectAsync();

            var item = await h.ItemAsync("ticket.change-requests", "jira/FRAUD/change-requests");
            var fraud10 = item.Facts["changes"]!.AsArray().Single(c => c!["key"]!.GetValue<string>() == "FRAUD-10")!;
            Assert.Equal("Mia Krystof", fraud10["approvedBy"]!.GetValue<string>());
            Assert.Equal(2, item.Facts["withoutApproval"]!.GetValue<int>());
        }
    }

    public sealed class Failures
    {
        [Fact]
        public async Task A_429_with_retry_after_is_waited_out_then_succeeds()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            var calls = 0;
            FakeJira.Search(h, _ => Interlocked.Increment(ref calls) == 1
                ? new FakeResponse(429, "{\"errorMessages\":[\"Rate limit exceeded.\"]}", new Dictionary<string, string> { ["Retry-After"] = "9" })
                : FakeJira.Fixture("search-incidents.json"));

            await h.CollectAsync();

            Assert.Contains(TimeSpan.FromSeconds(9), h.Clock.Waits);
            Assert.Equal(2, h.Fake.RequestsTo(FakeJira.SearchPath).Count);
            Assert.Empty(await h.ErrorsAsync());
            Assert.Equal(2, (await h.ItemAsync("ticket.incidents", "jira/FRAUD/incidents")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task A_401_is_a_collector_error_naming_email_and_api_token_while_other_kinds_are_collected()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents,concerns";
            FakeJira.Search(h, r => FakeJira.Jql(r).Contains("AI Incident", StringComparison.Ordinal)
                ? FakeJira.Error(401, "error-unauthorized.json")
                : FakeJira.Page(null, FakeJira.Issue("FRAUD", 7)));

            await h.CollectAsync();

            var error = Assert.Single(await h.ErrorsAsync());
            Assert.Equal("ticket.incidents", error.Facts["attemptedKind"]!.GetValue<string>());
            Assert.Equal("jira/*/incidents", error.Subject.Id);
            var message = error.Facts["error"]!.GetValue<string>();
            Assert.Contains("401", message);
            Assert.Contains("POST /rest/api/3/search/jql", message);
            Assert.Contains("Client must be authenticated", message);
            Assert.Contains("Aims:Sources:Jira:Email", message);
            Assert.Contains("Aims:Sources:Jira:ApiToken", message);
            Assert.Contains(error.Controls, c => c == "A.8.4");
            Assert.Equal(1, (await h.ItemAsync("ticket.concerns", "jira/FRAUD/concerns")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task A_403_names_the_browse_permission_and_is_reported_per_configured_project()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "nonconformities";
            h.Settings["Projects"] = "FRAUD,CHURN";
            FakeJira.Search(h, _ => new FakeResponse(403, "{\"errorMessages\":[\"You do not have permission to view these issues.\"],\"errors\":{}}"));

            await h.CollectAsync();

            var errors = await h.ErrorsAsync();
            Assert.Equal(["jira/CHURN/nonconformities", "jira/FRAUD/nonconformities"], errors.Select(e => e.Subject.Id).Order(StringComparer.Ordinal).ToArray());
            Assert.All(errors, e =>
            {
                Assert.Contains("Browse projects", e.Facts["error"]!.GetValue<string>());
                Assert.Equal(e.Subject.Id.Split('/')[1], e.Facts["project"]!.GetValue<string>());
            });
        }

        [Fact]
        public async Task A_500_on_one_kind_fails_only_that_kind()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents,change-requests";
            FakeJira.Search(h, r => FakeJira.Jql(r).Contains("ai-change", StringComparison.Ordinal)
                ? new FakeResponse(500, "<html>Internal error</html>")
                : FakeJira.Fixture("search-incidents.json"));

            await h.CollectAsync();

            var error = Assert.Single(await h.ErrorsAsync());
            Assert.Equal("ticket.change-requests", error.Facts["attemptedKind"]!.GetValue<string>());
            Assert.Contains("500", error.Facts["error"]!.GetValue<string>());
            Assert.Equal(5, h.Fake.RequestsTo(FakeJira.SearchPath).Count(r => FakeJira.Jql(r).Contains("ai-change", StringComparison.Ordinal)));
            Assert.Equal(2, (await h.ItemsAsync()).Count(i => i.Kind == "ticket.incidents"));
        }

        [Fact]
        public async Task Malformed_json_is_a_collector_error_naming_the_path()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => FakeResponse.Ok("{\"issues\": [ {\"id\": \"10001\", "));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("POST /rest/api/3/search/jql", message);
            Assert.Contains("malformed JSON", message);
        }

        [Fact]
        public async Task An_issue_without_a_key_is_a_collector_error_naming_the_path()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => FakeResponse.Ok("{\"issues\": [ {\"id\": \"10001\", \"fields\": {}} ], \"isLast\": true}"));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("/rest/api/3/search/jql", message);
            Assert.Contains("no 'key'", message);
        }

        [Fact]
        public async Task A_404_names_the_base_url_setting()
        {
            await using var h = await TicketingHarness.JiraAsync(prefix: "/jira");
            h.Settings["BaseUrl"] = h.Fake.ApiRoot.AbsoluteUri.Replace("/jira/", "/wiki/", StringComparison.Ordinal);
            h.Settings["Kinds"] = "incidents";

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("POST /wiki/rest/api/3/search/jql: not found (404)", message);
            Assert.Contains("Aims:Sources:Jira:BaseUrl", message);
        }

        [Fact]
        public async Task A_truncated_body_is_retried_then_reported_naming_the_path()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => new FakeResponse(200, "{\"issues\": [ {\"id\": \"10001\"", new Dictionary<string, string> { ["Content-Length"] = "4096" }));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("POST /rest/api/3/search/jql failed after 5 attempt(s)", message);
            Assert.Equal(5, h.Fake.RequestsTo(FakeJira.SearchPath).Count);
        }

        [Fact]
        public async Task Invalid_jql_reports_jiras_explanation()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            FakeJira.Search(h, _ => FakeJira.Error(400, "error-bad-jql.json"));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("400", message);
            Assert.Contains("does not exist for the field 'issuetype'", message);
        }
    }
}
