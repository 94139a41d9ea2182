using System.Text.Json.Nodes;
using Aims.Collectors.Tests.GitHub;

namespace Aims.Collectors.Tests.Ticketing;

public sealed class ServiceNowCollectorTests
{
    private static async Task<TicketingHarness> StartAsync(string kinds = "incidents")
    {
        var h = await TicketingHarness.ServiceNowAsync();
        h.Settings["Kinds"] = kinds;
        return h;
    }

    public sealed class Paging
    {
        [Fact]
        public async Task Pages_by_offset_until_a_short_page()
        {
            await using var h = await StartAsync();
            h.Settings["PageSize"] = "2";
            FakeServiceNow.Paged(h, "incident", FakeServiceNow.Records(5));

            await h.CollectAsync();

            var requests = h.Fake.RequestsTo(FakeServiceNow.Table("incident"));
            Assert.Equal(["0", "2", "4"], requests.Select(r => r.Q("sysparm_offset") ?? "").ToArray());
            Assert.All(requests, r => Assert.Equal("2", r.Q("sysparm_limit")));
            var item = await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents");
            Assert.Equal(5, item.Facts["count"]!.GetValue<int>());
            Assert.True(item.Facts["complete"]!.GetValue<bool>());
        }

        [Fact]
        public async Task A_full_last_page_is_followed_by_one_empty_page()
        {
            await using var h = await StartAsync();
            h.Settings["PageSize"] = "2";
            FakeServiceNow.Paged(h, "incident", FakeServiceNow.Records(4));

            await h.CollectAsync();

            Assert.Equal(["0", "2", "4"], h.Fake.RequestsTo(FakeServiceNow.Table("incident")).Select(r => r.Q("sysparm_offset") ?? "").ToArray());
            Assert.Equal(4, (await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task Follows_the_link_header_when_the_server_sends_one()
        {
            await using var h = await StartAsync();
            h.Settings["PageSize"] = "2";
            FakeServiceNow.Paged(h, "incident", FakeServiceNow.Records(5), linkHeaders: true);

            await h.CollectAsync();

            var requests = h.Fake.RequestsTo(FakeServiceNow.Table("incident"));
            Assert.Equal(["", "from-link-2", "from-link-4"], requests.Select(r => r.Q("hint") ?? "").ToArray());
            Assert.Equal(5, (await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task A_server_ignoring_the_offset_stops_paging_and_marks_the_population_incomplete()
        {
            await using var h = await StartAsync();
            h.Settings["PageSize"] = "2";
            var firstTwo = new JsonArray(FakeServiceNow.Record(1), FakeServiceNow.Record(2));
            h.Fake.Get(FakeServiceNow.Table("incident"), _ => FakeServiceNow.Result(firstTwo));

            await h.CollectAsync();

            Assert.Equal(2, h.Fake.RequestsTo(FakeServiceNow.Table("incident")).Count);
            var item = await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents");
            Assert.Equal(2, item.Facts["count"]!.GetValue<int>());
            Assert.False(item.Facts["complete"]!.GetValue<bool>());
            Assert.Contains("ignore the offset", item.Facts["incompleteReason"]!.GetValue<string>());
        }
    }

    public sealed class Query
    {
        [Fact]
        public async Task Asks_for_the_configured_query_within_the_period_with_raw_values_and_only_the_needed_fields()
        {
            await using var h = await StartAsync();
            FakeServiceNow.Paged(h, "incident", []);

            await h.CollectAsync();

            var request = Assert.Single(h.Fake.RequestsTo(FakeServiceNow.Table("incident")));
            Assert.Equal(
                "category=ai^sys_created_on<2025-04-02 00:00:00^sys_updated_on>=2024-12-31 00:00:00^ORactive=true^ORDERBYsys_created_on^ORDERBYsys_id",
                request.Q("sysparm_query"));
            Assert.Equal("false", request.Q("sysparm_display_value"));
            Assert.Equal("true", request.Q("sysparm_exclude_reference_link"));
            Assert.Equal("0", request.Q("sysparm_offset"));
            Assert.Equal("1000", request.Q("sysparm_limit"));
            var fields = request.Q("sysparm_fields")!.Split(',');
            Assert.Contains("number", fields);
            Assert.Contains("resolved_at", fields);
            Assert.Contains("assignment_group.name", fields);
            Assert.DoesNotContain("description", fields);
            Assert.DoesNotContain("work_notes", fields);
            Assert.DoesNotContain("comments", fields);
        }

        [Fact]
        public async Task Every_alternative_of_a_query_gets_the_period()
        {
            await using var h = await StartAsync();
            h.Settings["Queries:Incidents"] = "priority=1^NQcategory=ai^priority=2";
            FakeServiceNow.Paged(h, "incident", []);

            await h.CollectAsync();

            var window = "sys_created_on<2025-04-02 00:00:00^sys_updated_on>=2024-12-31 00:00:00^ORactive=true";
            Assert.Equal($"priority=1^{window}^NQcategory=ai^priority=2^{window}^ORDERBYsys_created_on^ORDERBYsys_id",
                Assert.Single(h.Fake.RequestsTo(FakeServiceNow.Table("incident"))).Q("sysparm_query"));
        }

        [Fact]
        public async Task A_table_of_ones_own_is_taken_whole_within_the_period()
        {
            await using var h = await StartAsync("vendor-reviews");
            h.Settings["Tables:VendorReviews"] = "x_acme_ai_vendor_review";
            FakeServiceNow.Paged(h, "x_acme_ai_vendor_review", FakeServiceNow.Records(1));
            FakeServiceNow.Approvals(h);

            await h.CollectAsync();

            Assert.StartsWith("sys_created_on<", Assert.Single(h.Fake.RequestsTo(FakeServiceNow.Table("x_acme_ai_vendor_review"))).Q("sysparm_query"), StringComparison.Ordinal);
            var item = await h.ItemAsync("ticket.vendor-reviews", "servicenow/x_acme_ai_vendor_review/vendor-reviews");
            Assert.Equal("x_acme_ai_vendor_review", item.Facts["project"]!.GetValue<string>());
            Assert.Equal(1, item.Facts["count"]!.GetValue<int>());
        }
    }

    public sealed class Incidents
    {
        [Fact]
        public async Task Detection_notification_and_resolution_times_come_from_the_record()
        {
            await using var h = await StartAsync();
            h.Settings["NotifiedField"] = "u_notified_at";
            h.Fake.Get(FakeServiceNow.Table("incident"), FakeServiceNow.Fixture("incident.json"));

            await h.CollectAsync();

            Assert.Contains("u_notified_at", Assert.Single(h.Fake.RequestsTo(FakeServiceNow.Table("incident"))).Q("sysparm_fields")!.Split(','));
            var item = await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents");
            Assert.Equal("incident", item.Facts["project"]!.GetValue<string>());
            Assert.Equal(3, item.Facts["count"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["open"]!.GetValue<int>());
            Assert.Equal(2, item.Facts["resolved"]!.GetValue<int>());
            Assert.Equal(36, item.Facts["medianHoursToResolve"]!.GetValue<double>());
            Assert.Equal(3, item.Facts["medianHoursToNotify"]!.GetValue<double>());
            var incidents = item.Facts["incidents"]!.AsArray().ToDictionary(i => i!["key"]!.GetValue<string>(), i => i!);
            var first = incidents["INC0010001"];
            Assert.Equal("Closed", first["status"]!.GetValue<string>());
            Assert.Equal("2025-01-15T07:30:00Z", first["detectedAt"]!.GetValue<string>());
            Assert.Equal("2025-01-15T10:30:00Z", first["notifiedAt"]!.GetValue<string>());
            Assert.Equal("2025-01-16T19:30:00Z", first["resolvedAt"]!.GetValue<string>());
            Assert.Equal("Beth Anglin", first["resolvedBy"]!.GetValue<string>());
            Assert.Equal(h.Fake.ApiRoot.AbsoluteUri + "incident.do?sys_id=9d385017c611228701d22104cc95c371", first["url"]!.GetValue<string>());
            Assert.Equal("In Progress", incidents["INC0010002"]["status"]!.GetValue<string>());
            Assert.Equal("Canceled", incidents["INC0010003"]["status"]!.GetValue<string>());
            Assert.Null(incidents["INC0010003"]["hoursToResolve"]);
        }

        [Fact]
        public async Task Grouping_by_assignment_group_gives_one_item_per_group()
        {
            await using var h = await StartAsync();
            h.Settings["GroupBy"] = "assignment_group";
            h.Fake.Get(FakeServiceNow.Table("incident"), FakeServiceNow.Fixture("incident.json"));

            await h.CollectAsync();

            var platform = await h.ItemAsync("ticket.incidents", "servicenow/incident/AI Platform/incidents");
            Assert.Equal("AI Platform", platform.Facts["project"]!.GetValue<string>());
            Assert.Equal(2, platform.Facts["count"]!.GetValue<int>());
            var recommendations = await h.ItemAsync("ticket.incidents", "servicenow/incident/Recommendations/incidents");
            Assert.Equal(1, recommendations.Facts["count"]!.GetValue<int>());
        }
    }

    public sealed class Approvals
    {
        [Fact]
        public async Task Approvals_are_read_in_batches_and_name_approver_and_date()
        {
            await using var h = await StartAsync("change-requests");
            h.Settings["ApprovalBatchSize"] = "2";
            h.Fake.Get(FakeServiceNow.Table("change_request"), FakeServiceNow.Fixture("change_request.json"));
            FakeServiceNow.Approvals(h);

            await h.CollectAsync();

            var batches = h.Fake.RequestsTo(FakeServiceNow.Table("sysapproval_approver")).Select(FakeServiceNow.ApprovalIds).ToList();
            Assert.Equal([2, 1], batches.Select(b => b.Length).ToArray());
            Assert.Equal(3, batches.SelectMany(b => b).Distinct().Count());
            var fields = h.Fake.RequestsTo(FakeServiceNow.Table("sysapproval_approver"))[0].Q("sysparm_fields")!.Split(',');
            Assert.Contains("approver.name", fields);
            Assert.Contains("state", fields);

            var item = await h.ItemAsync("ticket.change-requests", "servicenow/change_request/change-requests");
            var changes = item.Facts["changes"]!.AsArray().ToDictionary(c => c!["key"]!.GetValue<string>(), c => c!);
            Assert.Equal("Fred Luddy", changes["CHG0030001"]["approvedBy"]!.GetValue<string>());
            Assert.Equal("2025-02-05T11:00:00Z", changes["CHG0030001"]["approvedOn"]!.GetValue<string>());
            Assert.Equal(["rejected", "approved"], changes["CHG0030001"]["approvers"]!.AsArray().Select(a => a!["state"]!.GetValue<string>()).ToArray());
            Assert.True(changes["CHG0030002"]["withoutApproval"]!.GetValue<bool>());
            Assert.Equal("requested", changes["CHG0030003"]["approvers"]![0]!["state"]!.GetValue<string>());
            Assert.Equal(1, item.Facts["approved"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["withoutApproval"]!.GetValue<int>());
            Assert.Equal(1, item.Facts["pendingApproval"]!.GetValue<int>());
        }

        [Fact]
        public async Task A_403_on_approvals_names_the_role_while_incidents_are_collected()
        {
            await using var h = await StartAsync("incidents,change-requests");
            h.Fake.Get(FakeServiceNow.Table("incident"), FakeServiceNow.Fixture("incident.json"));
            h.Fake.Get(FakeServiceNow.Table("change_request"), FakeServiceNow.Fixture("change_request.json"));
            h.Fake.Get(FakeServiceNow.Table("sysapproval_approver"), FakeServiceNow.Error(403, "error-forbidden.json"));

            await h.CollectAsync();

            var error = Assert.Single(await h.ErrorsAsync());
            Assert.Equal("ticket.change-requests", error.Facts["attemptedKind"]!.GetValue<string>());
            Assert.Equal("servicenow/change_request/change-requests", error.Subject.Id);
            Assert.Equal("change_request", error.Facts["project"]!.GetValue<string>());
            var message = error.Facts["error"]!.GetValue<string>();
            Assert.Contains("403", message);
            Assert.Contains("/api/now/table/sysapproval_approver", message);
            Assert.Contains("Insufficient rights to query records", message);
            Assert.Contains("approver_user", message);
            Assert.Equal(3, (await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents")).Facts["count"]!.GetValue<int>());
        }
    }

    public sealed class Failures
    {
        [Fact]
        public async Task An_outage_through_every_retry_ends_the_job_for_redelivery_instead_of_recording_errors()
        {
            await using var h = await StartAsync();
            h.Fake.Get(FakeServiceNow.Table("incident"), new FakeResponse(503, "{\"error\":{\"message\":\"Service Unavailable\"},\"status\":\"failure\"}"));

            // The job fails as a whole (a queue host delivers it again later); no subject is blamed for the outage
            await Assert.ThrowsAsync<Aims.Collectors.Http.SourceUnavailableException>(() => h.CollectAsync());
            Assert.Empty(await h.ErrorsAsync());
        }

        [Fact]
        public async Task A_401_names_username_and_password()
        {
            await using var h = await StartAsync();
            h.Fake.Get(FakeServiceNow.Table("incident"), FakeServiceNow.Error(401, "error-unauthorized.json"));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("401", message);
            Assert.Contains("User Not Authenticated", message);
            Assert.Contains("Aims:Sources:ServiceNow:Username", message);
            Assert.Contains("Aims:Sources:ServiceNow:Password", message);
        }

        [Fact]
        public async Task A_403_on_a_table_names_its_acl()
        {
            await using var h = await StartAsync();
            h.Fake.Get(FakeServiceNow.Table("incident"), FakeServiceNow.Error(403, "error-forbidden.json"));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("read access to table incident", message);
            Assert.Contains("itil", message);
        }

        [Fact]
        public async Task A_500_on_one_table_fails_only_its_kind()
        {
            await using var h = await StartAsync("incidents,change-requests");
            h.Fake.Get(FakeServiceNow.Table("incident"), FakeServiceNow.Fixture("incident.json"));
            h.Fake.Get(FakeServiceNow.Table("change_request"), new FakeResponse(500, "{\"error\":{\"message\":\"Transaction cancelled: maximum execution time exceeded\"},\"status\":\"failure\"}"));

            await h.CollectAsync();

            var error = Assert.Single(await h.ErrorsAsync());
            Assert.Equal("ticket.change-requests", error.Facts["attemptedKind"]!.GetValue<string>());
            Assert.Contains("maximum execution time exceeded", error.Facts["error"]!.GetValue<string>());
            Assert.Equal(3, (await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task A_429_with_retry_after_is_waited_out_then_succeeds()
        {
            await using var h = await StartAsync();
            h.Fake.Sequence(FakeServiceNow.Table("incident"),
                new FakeResponse(429, "{\"error\":{\"message\":\"Rate limit exceeded\"},\"status\":\"failure\"}", new Dictionary<string, string> { ["Retry-After"] = "12" }),
                FakeServiceNow.Fixture("incident.json"));

            await h.CollectAsync();

            Assert.Contains(TimeSpan.FromSeconds(12), h.Clock.Waits);
            Assert.Empty(await h.ErrorsAsync());
            Assert.Equal(3, (await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task Malformed_json_is_a_collector_error_naming_the_path()
        {
            await using var h = await StartAsync();
            h.Fake.Get(FakeServiceNow.Table("incident"), FakeResponse.Ok("{\"result\": [ {\"sys_id\": "));

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("GET /api/now/table/incident", message);
            Assert.Contains("malformed JSON", message);
        }

        [Fact]
        public async Task A_no_record_found_404_past_the_end_ends_the_listing()
        {
            await using var h = await StartAsync();
            h.Settings["PageSize"] = "2";
            h.Fake.Get(FakeServiceNow.Table("incident"), r => r.Q("sysparm_offset") == "0"
                ? FakeServiceNow.Result(new JsonArray(FakeServiceNow.Record(1), FakeServiceNow.Record(2)))
                : new FakeResponse(404, "{\"error\":{\"message\":\"No Record found\",\"detail\":\"Records matching query not found. Check query parameter or offset parameter\"},\"status\":\"failure\"}"));

            await h.CollectAsync();

            Assert.Empty(await h.ErrorsAsync());
            Assert.Equal(2, (await h.ItemAsync("ticket.incidents", "servicenow/incident/incidents")).Facts["count"]!.GetValue<int>());
        }

        [Fact]
        public async Task Another_404_names_the_base_url_and_the_table()
        {
            await using var h = await StartAsync();

            await h.CollectAsync();

            var message = Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>();
            Assert.Contains("/api/now/table/incident", message);
            Assert.Contains("404", message);
            Assert.Contains("Aims:Sources:ServiceNow:BaseUrl", message);
        }

        [Fact]
        public async Task A_body_without_a_result_array_is_a_collector_error()
        {
            await using var h = await StartAsync();
            h.Fake.Get(FakeServiceNow.Table("incident"), FakeResponse.Ok("{\"records\": []}"));

            await h.CollectAsync();

            Assert.Contains("expected an array 'result'", Assert.Single(await h.ErrorsAsync()).Facts["error"]!.GetValue<string>());
        }
    }
}
