using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Tests.GitHub;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>Builds ServiceNow Table API responses for the fake: <c>result</c> arrays paged by offset and limit.</summary>
internal static class FakeServiceNow
{
    public static string Table(string table) => $"api/now/table/{table}";

    public static string SysId(int n) => n.ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>An active record from <c>record-template.json</c>, created <paramref name="day"/> days into the period.</summary>
    public static JsonNode Record(int n, int day = 10) =>
        TicketFixtures.Json("ServiceNow", "record-template.json",
            ("sys_id", SysId(n)),
            ("number", $"TASK{n:D7}"),
            ("created", TicketingHarness.Period.From.AddDays(day).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)));

    public static JsonArray Records(int count) => new(Enumerable.Range(1, count).Select(n => Record(n)).ToArray());

    public static FakeResponse Result(JsonArray records, IReadOnlyDictionary<string, string>? headers = null) =>
        FakeResponse.Ok(new JsonObject { ["result"] = records.DeepClone() }.ToJsonString(), headers);

    public static FakeResponse Fixture(string file) => FakeResponse.Ok(TicketFixtures.ServiceNow(file));

    public static FakeResponse Error(int status, string file) => new(status, TicketFixtures.ServiceNow(file));

    /// <summary>Serves <paramref name="records"/> honouring <c>sysparm_offset</c> and <c>sysparm_limit</c>, as the Table API does.</summary>
    public static void Paged(TicketingHarness h, string table, JsonArray records, bool linkHeaders = false)
    {
        h.Fake.Get(Table(table), request =>
        {
            var offset = int.Parse(request.Q("sysparm_offset") ?? "0", CultureInfo.InvariantCulture);
            var limit = int.Parse(request.Q("sysparm_limit") ?? "10000", CultureInfo.InvariantCulture);
            var slice = new JsonArray(records.Skip(offset).Take(limit).Select(r => r!.DeepClone()).ToArray());
            Dictionary<string, string>? headers = null;
            if (linkHeaders && offset + limit < records.Count)
            {
                // ServiceNow's links carry every parameter; 'hint' shows the collector followed the link rather than computing the offset.
                var query = request.Query.Where(q => q.Key is not ("sysparm_offset" or "hint"))
                    .Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}")
                    .Append($"sysparm_offset={offset + limit}")
                    .Append($"hint=from-link-{offset + limit}");
                var next = $"{h.Fake.ApiRoot.AbsoluteUri.TrimEnd('/')}{request.Path}?{string.Join('&', query)}";
                headers = new Dictionary<string, string> { ["Link"] = $"<{next}>;rel=\"next\"" };
            }

            return Result(slice, headers);
        });
    }

    /// <summary>Serves the approvals of the fixture whose <c>sysapproval</c> is among the ids the query asks for.</summary>
    public static void Approvals(TicketingHarness h)
    {
        var all = TicketFixtures.Json("ServiceNow", "sysapproval_approver.json")["result"]!.AsArray();
        h.Fake.Get(Table("sysapproval_approver"), request =>
        {
            var ids = ApprovalIds(request);
            return Result(new JsonArray(all.Where(a => ids.Contains(a!["sysapproval"]!.GetValue<string>())).Select(a => a!.DeepClone()).ToArray()));
        });
    }

    /// <summary>The ticket sys_ids an approvals request asks for (<c>sysapprovalIN a,b^ORDERBY...</c>).</summary>
    public static string[] ApprovalIds(FakeRequest request)
    {
        var query = request.Q("sysparm_query") ?? "";
        var list = query.StartsWith("sysapprovalIN", StringComparison.Ordinal) ? query["sysapprovalIN".Length..].Split('^')[0] : "";
        return list.Split(',', StringSplitOptions.RemoveEmptyEntries);
    }
}
