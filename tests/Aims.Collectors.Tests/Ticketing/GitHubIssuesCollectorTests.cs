using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Tests.GitHub;

namespace Aims.Collectors.Tests.Ticketing;

public sealed class GitHubIssuesCollectorTests
{
    private const string Issues = "repos/contoso/fraud-model/issues";

    private static async Task<TicketingHarness> StartAsync(string kinds)
    {
        var h = await TicketingHarness.GitHubIssuesAsync();
        h.Settings["Kinds"] = kinds;
        return h;
    }

    /// <summary>The change-request fixtures: open and closed listings and the events of each issue.</summary>
    private static void ServeChangeRequests(TicketingHarness h, string issues = Issues)
    {
        h.Fake.Get(issues, r => FakeResponse.Ok(TicketFixtures.GitHubIssues(r.Q("state") == "open" ? "issues-open.json" : "issues-closed.json")));
        h.Fake.Get($"{issues}/12/events", TicketFixtures.GitHubIssues("events-12.json"));
        h.Fake.Get($"{issues}/13/events", TicketFixtures.GitHubIssues("events-13.json"));
        h.Fake.Get($"{issues}/14/events", "[]");
        h.Fake.Get($"{issues}/15/events", "[]");
    }

    private static JsonNode Issue(int number, int day = 10) =>
        TicketFixtures.Json("GitHubIssues", "issue-template.json",
            ("id", (3000000 + number).ToString(CultureInfo.InvariantCulture)),
            ("number", number.ToString(CultureInfo.InvariantCulture)),
            ("repo", "contoso/fraud-model"),
            ("created", TicketingHarness.Period.From.AddDays(day).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)));

    public sealed class Listing
    {
        [Fact]
        public async Task Pages_through_link_headers_and_skips_pull_requests()
        {
            await using var h = await StartAsync("concerns");
            var items = new JsonArray(Issue(1), Issue(2), Issue(3), Issue(4), Issue(5));
            var pr = Issue(6);
            pr["pull_request"] = new JsonObject { ["url"] = "https://api.github.com/repos/contoso/fraud-model/pulls/6", ["merged_at"] = null };
            items.Insert(2, pr);
            h.Fake.Get(Issues, r =>
            {
                if (r.Q("state") == "closed")
                {
                    return FakeResponse.Ok("[]");
                }

                var page = int.Parse(r.Q("page") ?? "1", CultureInfo.InvariantCulture);
                var slice = new JsonArray(items.Skip((page - 1) * 2).Take(2).Select(i => i!.DeepClone()).ToArray());
                var headers = page < 3 ? new Dictionary<string, string> { ["Link"] = $"<{h.Fake.PageUrl(r, page + 1)}>; rel=\"next\", <{h.Fake.PageUrl(r, 3)}>; rel=\"last\"" } : null;
                return FakeResponse.Ok(slice.ToJsonString(), headers);
            });

            await h.CollectAsync();

            var open = h.Fake.RequestsTo(Issues).Where(r => r.Q("state") == "open").ToList();
            Assert.Equal(["", "2", "3"], open.Select(r => r.Q("page") ?? "").ToArray());
            Assert.All(open, r =>
            {
                Assert.Equal("ai-concern", r.Q("labels"));
                Assert.Equal("100", r.Q("per_page"));
            });
            var item = await h.ItemAsync("ticket.concerns", "github-issues/contoso/fraud-model/concerns");
            Assert.Equal(5, item.Facts["count"]!.GetValue<int>());
            Assert.DoesNotContain(item.Facts["concerns"]!.AsArray(), c => c!["key"]!.GetValue<string>() == "contoso/fraud-model#6");

            // Concern reports carry no title: the report itself may identify whoever raised it.
            Assert.All(item.Facts["concerns"]!.AsArray(), c => Assert.Null(c!["title"]));
        }

        [Fact]
        public async Task A_next_link_back_to_a_page_already_read_keeps_what_was_read_and_marks_the_population_incomplete()
        {
            await using var h = await StartAsync("concerns");
            h.Fake.Get(Issues, r => r.Q("state") == "closed"
                ? FakeResponse.Ok("[]")
                : FakeResponse.Ok(new JsonArray(Issue(int.Parse(r.Q("page") ?? "1", CultureInfo.InvariantCulture))).ToJsonString(),
                    new Dictionary<string, string> { ["Link"] = $"<{h.Fake.PageUrl(r, 2)}>; rel=\"next\"" }));

            await h.CollectAsync();

            var item = await h.ItemAsync("ticket.concerns", "github-issues/contoso/fraud-model/concerns");
            Assert.Equal(2, item.Facts["count"]!.GetValue<int>());
            Assert.False(item.Facts["complete"]!.GetValue<bool>());
            Assert.Contains("links back to a page already read", item.Facts["incompleteReason"]!.GetValue<string>(), StringComparison.Ordinal);
        }

        [Fact]
        public async Task Lists_open_issues_and_the_closed_ones_updated_since_the_period_began()
        {
            await using var h = await StartAsync("change-requests");
            ServeChangeRequests(h);

            await h.CollectAsync();

            var listings = h.Fake.RequestsTo(Issues);
            Assert.Equal(2, listings.Count);
            var open = Assert.Single(listings, r => r.Q("state") == "open");
            Assert.Null(open.Q("since"));
            var closed = Assert.Single(listings, r => r.Q("state") == "closed");
            Assert.Equal("2025-01-01T00:00:00Z", closed.Q("since"));
            Assert.All(listings, r => Assert.Equal("ai-change", r.Q("labels")));
            Assert.Equal($"Bearer {TicketingHarness.Secret}", listings[0].Header("Authorization"));
            Assert.Equal("2022-11-28", listings[0].Header("X-GitHub-Api-Version"));
        }

        [Fact]
        public async Task A_configured_issue_type_is_sent_as_the_type_filter()
        {
            await using var h = await StartAsync("incidents");
            h.Settings["Types:Incidents"] = "AI Incident";
            h.Settings["Labels:Incidents"] = "incident,ai";
            h.Fake.Get(Issues, "[]");

            await h.CollectAsync();

            Assert.All(h.Fake.RequestsTo(Issues), r =>
            {
                Assert.Equal("AI Incident", r.Q("type"));
                Assert.Equal("incident,ai", r.Q("labels"));
            });
            var item = await h.ItemAsync("ticket.incidents", "github-issues/contoso/fraud-model/incidents");
            Assert.Equal(0, item.Facts["count"]!.GetValue<int>());
            Assert.Equal("contoso/fraud-model", item.Facts["repository"]!.GetValue<string>());
        }
    }

    public sealed class Events
    {
        [Fact]
        public async Task The_approval_label_names_approver_and_date_and_its_removal_revokes_it()
        {
            await using var h = await StartAsync("change-requests");
            ServeChangeRequests(h);

            await h.CollectAsync();

            var item = await h.ItemAsync("ticket.change-requests", "github-issues/contoso/fraud-model/change-requests");
            Assert.Equal("contoso/fraud-model", item.Facts["repository"]!.GetValue<string>());
            Assert.Equal("contoso/fraud-model", item.Facts["project"]!.GetValue<string>());
            var changes = item.Facts["changes"]!.AsArray().ToDictionary(c => c!["key"]!.GetValue<string>(), c => c!);
            Assert.Equal(["contoso/fraud-model#12", "contoso/fraud-model#13", "contoso/fraud-model#14", "contoso/fraud-model#15"], changes.Keys.Order(StringComparer.Ordinal).ToArray());
            Assert.Equal("ana", changes["contoso/fraud-model#12"]["approvedBy"]!.GetValue<string>());
            Assert.Equal("2025-02-05T11:00:00Z", changes["contoso/fraud-model#12"]["approvedOn"]!.GetValue<string>());
            Assert.Equal("https://github.com/contoso/fraud-model/issues/12", changes["contoso/fraud-model#12"]["url"]!.GetValue<string>());
            Assert.True(changes["contoso/fraud-model#13"]["withoutApproval"]!.GetValue<bool>());
            Assert.Equal("revoked", changes["contoso/fraud-model#13"]["approvers"]![0]!["state"]!.GetValue<string>());
            Assert.True(changes["contoso/fraud-model#14"]["canceled"]!.GetValue<bool>());
            Assert.Equal(1, item.Facts["approved"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["withoutApproval"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["pendingApproval"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["canceled"]!.GetValue<int>());

            var raw = await h.RawAsync(item);
            var twelve = raw["tickets"]!.AsArray().Single(t => t!["key"]!.GetValue<string>() == "contoso/fraud-model#12")!;
            Assert.Equal("mia", twelve["resolvedBy"]!.GetValue<string>());
        }

        [Fact]
        public async Task The_notified_label_gives_the_notification_time_of_an_incident()
        {
            await using var h = await StartAsync("incidents");
            var incident = Issue(21, day: 20);
            incident["labels"] = new JsonArray(new JsonObject { ["name"] = "ai-incident" });
            h.Fake.Get(Issues, r => FakeResponse.Ok(r.Q("state") == "open" ? new JsonArray(incident.DeepClone()).ToJsonString() : "[]"));
            h.Fake.Get($"{Issues}/21/events", """
                [ { "id": 1, "actor": { "login": "ciso" }, "event": "labeled", "created_at": "2025-01-21T06:00:00Z", "label": { "name": "notified" } } ]
                """);

            await h.CollectAsync();

            var item = await h.ItemAsync("ticket.incidents", "github-issues/contoso/fraud-model/incidents");
            var entry = Assert.Single(item.Facts["incidents"]!.AsArray())!;
            Assert.Equal("2025-01-21T06:00:00Z", entry["notifiedAt"]!.GetValue<string>());
            Assert.Equal(6, entry["hoursToNotify"]!.GetValue<double>());
        }

        [Fact]
        public async Task Concerns_need_no_events()
        {
            await using var h = await StartAsync("concerns");
            h.Fake.Get(Issues, r => FakeResponse.Ok(r.Q("state") == "open" ? new JsonArray(Issue(1)).ToJsonString() : "[]"));

            await h.CollectAsync();

            Assert.Equal(2, h.Fake.Requests.Count);
            Assert.Empty(await h.ErrorsAsync());
        }
    }

    public sealed class Failures
    {
        [Fact]
        public async Task A_429_with_retry_after_is_waited_out_then_succeeds()
        {
            await using var h = await StartAsync("change-requests");
            ServeChangeRequests(h);
            var calls = 0;
            h.Fake.Get(Issues, r => Interlocked.Increment(ref calls) == 1
                ? FakeResponse.Error(429, "Too many requests", new Dictionary<string, string> { ["retry-after"] = "5" })
                : FakeResponse.Ok(TicketFixtures.GitHubIssues(r.Q("state") == "open" ? "issues-open.json" : "issues-closed.json")));

            await h.CollectAsync();

            Assert.Contains(TimeSpan.FromSeconds(5), h.Clock.Waits);
            Assert.Empty(await h.ErrorsAsync());
            Assert.Equal(4, (await h.ItemAsync("ticket.change-requests", "github-issues/contoso/fraud-model/change-requests")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task An_outage_through_every_retry_ends_the_job_for_redelivery_instead_of_recording_errors()
        {
            await using var h = await StartAsync("incidents");
            h.Fake.Get(Issues, FakeResponse.Error(503, "Service Unavailable"));

            // The job fails as a whole (a queue host delivers it again later); no subject is blamed for the outage
            await Assert.ThrowsAsync<Aims.Collectors.Http.SourceUnavailableException>(() => h.CollectAsync());
            Assert.Empty(await h.ErrorsAsync());
        }

        [Fact]
        public async Task A_401_names_the_token_setting()
        {
            await using var h = await StartAsync("incidents");
            h.Fake.Get(Issues, FakeResponse.Error(401, "Bad credentials"));

            await h.CollectAsync();

            var error = Assert.Single(await h.ErrorsAsync());
            Assert.Equal("github-issues/contoso/fraud-model/incidents", error.Subject.Id);
            Assert.Equal("contoso/fraud-model", error.Facts["repository"]!.GetValue<string>());
            var message = error.Facts["error"]!.GetValue<string>();
            Assert.Contains("401", message);
            Assert.Contains("Bad credentials", message);
            Assert.Contains("Aims:Sources:GitHubIssues:Token", message);
        }

        [Fact]
        public async Task A_500_on_one_repository_leaves_the_others_collected()
        {
            await using var h = await StartAsync("change-requests");
            h.Settings["Repositories"] = "contoso/churn-model,contoso/fraud-model";
            ServeChangeRequests(h);
            h.Fake.Get("repos/contoso/churn-model/issues", FakeResponse.Error(500, "Server Error"));

            await h.CollectAsync();

            var error = Assert.Single(await h.ErrorsAsync());
            Assert.Equal("github-issues/contoso/churn-model/change-requests", error.Subject.Id);
            Assert.Contains("/repos/contoso/churn-model/issues", error.Facts["error"]!.GetValue<string>());
            Assert.Equal(4, (await h.ItemAsync("ticket.change-requests", "github-issues/contoso/fraud-model/change-requests")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task A_403_on_events_names_the_permission_and_fails_that_repository_only()
        {
            await using var h = await StartAsync("change-requests");
            ServeChangeRequests(h);
            h.Fake.Get($"{Issues}/12/events", FakeResponse.Error(403, "Resource not accessible by personal access token"));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("/repos/contoso/fraud-model/issues/12/events", message);
            Assert.Contains("issues=read", message);
        }

        [Fact]
        public async Task A_404_says_the_repository_may_be_missing_or_invisible_to_the_token()
        {
            await using var h = await StartAsync("concerns");

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("404", message);
            Assert.Contains("contoso/fraud-model exists", message);
            Assert.Contains("Aims:Sources:GitHubIssues:Token", message);
        }

        [Fact]
        public async Task Malformed_json_is_a_collector_error_naming_the_path()
        {
            await using var h = await StartAsync("concerns");
            h.Fake.Get(Issues, FakeResponse.Ok("[ {\"number\": 1, "));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("GET /repos/contoso/fraud-model/issues?state=open", message);
            Assert.Contains("malformed JSON", message);
        }
    }
}
