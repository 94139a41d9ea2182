using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aims.Testing;

namespace Aims.Bench.Collectors;

/// <summary>
/// A fake Jira Cloud site holding <c>issues</c> change requests over five projects, created one after another through the
/// period, four in five of them done. It answers the three searches the collector sends (<c>POST /rest/api/3/search/jql</c>
/// with the changelog expanded, at most 100 issues a page as Jira sends when fields and changelog are asked for;
/// <c>search/approximate-count</c>; <c>search/id</c>, at most 1,000 ids a page) and understands the JQL shapes the
/// collector builds: the period terms, <c>updated &gt;= "day"</c> and <c>id in (...)</c>.
/// </summary>
internal sealed partial class FakeJiraSite : IAsyncDisposable
{
    public static readonly string[] Projects = ["AIGOV", "FRAUD", "CREDIT", "CHAT", "VISION"];
    private readonly Issue[] _issues;
    private LocalHttpServer _server = null!;

    private FakeJiraSite(int count, DateTimeOffset from, DateTimeOffset to)
    {
        _issues = new Issue[count];
        var step = (to - from).Ticks / Math.Max(count, 1);
        for (var i = 0; i < count; i++)
        {
            var created = from.AddTicks(step * i);
            var done = i % 5 != 0;
            _issues[i] = new Issue(20000 + i, Projects[i % Projects.Length], (i / Projects.Length) + 1, created, done ? created.AddHours(30) : created.AddHours(2), done);
        }
    }

    public RequestTally Tally { get; } = new();

    public Uri BaseUri => _server.BaseUri;

    public static async Task<FakeJiraSite> StartAsync(int count, DateTimeOffset from, DateTimeOffset to)
    {
        var site = new FakeJiraSite(count, from, to);
        site._server = await LocalHttpServer.StartAsync(site.HandleAsync);
        return site;
    }

    /// <summary>Resolves <paramref name="count"/> open issues at <paramref name="at"/> (the "something changed" run).</summary>
    public void ResolveSome(int count, DateTimeOffset at)
    {
        var changed = 0;
        for (var i = 0; i < _issues.Length && changed < count; i++)
        {
            if (!_issues[i].Done)
            {
                _issues[i] = _issues[i] with { Done = true, Updated = at };
                changed++;
            }
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.Trim('/');
        var body = context.Request.Method == "POST" ? (await JsonNode.ParseAsync(context.Request.Body))!.AsObject() : [];
        var (status, response) = path switch
        {
            "rest/api/3/search/jql" => (200, Search(body)),
            "rest/api/3/search/approximate-count" => (200, new JsonObject { ["count"] = Matching(body["jql"]!.GetValue<string>()).Count() }.ToJsonString()),
            "rest/api/3/search/id" => (200, Ids(body)),
            _ => (404, "{\"errorMessages\":[\"No such resource.\"],\"errors\":{}}"),
        };
        Tally.Add(path, status);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json;charset=UTF-8";
        await context.Response.WriteAsync(response);
    }

    private string Search(JsonObject body)
    {
        var matches = Matching(body["jql"]!.GetValue<string>());
        var size = Math.Min(body["maxResults"]?.GetValue<int>() ?? 50, 100);
        var offset = body["nextPageToken"]?.GetValue<string>() is { } token ? int.Parse(token.AsSpan(2), CultureInfo.InvariantCulture) : 0;
        var page = matches.Skip(offset).Take(size + 1).ToList();
        var text = new StringBuilder("{\"issues\":[");
        for (var i = 0; i < Math.Min(size, page.Count); i++)
        {
            text.Append(i == 0 ? "" : ",").Append(Render(page[i]));
        }

        text.Append(']');
        if (page.Count > size)
        {
            text.Append(",\"nextPageToken\":\"o:").Append((offset + size).ToString(CultureInfo.InvariantCulture)).Append('"');
        }

        return text.Append(",\"isLast\":").Append(page.Count > size ? "false" : "true").Append('}').ToString();
    }

    private string Ids(JsonObject body)
    {
        var size = Math.Min(body["maxResults"]?.GetValue<int>() ?? 1000, 1000);
        var offset = body["nextPageToken"]?.GetValue<string>() is { } token ? int.Parse(token.AsSpan(2), CultureInfo.InvariantCulture) : 0;
        var page = Matching(body["jql"]!.GetValue<string>()).Skip(offset).Take(size + 1).ToList();
        var result = new JsonObject { ["issueIds"] = new JsonArray(page.Take(size).Select(i => (JsonNode)i.Id).ToArray()) };
        if (page.Count > size)
        {
            result["nextPageToken"] = $"o:{offset + size}";
        }

        return result.ToJsonString();
    }

    private IEnumerable<Issue> Matching(string jql)
    {
        if (IdList().Match(jql) is { Success: true } ids)
        {
            var wanted = ids.Groups[1].Value.Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToHashSet();
            return _issues.Where(i => wanted.Contains(i.Id));
        }

        var createdBefore = Day(CreatedBefore().Match(jql));
        var updatedFrom = Day(PeriodUpdated().Match(jql));
        var changedSince = Day(ChangedSince().Match(jql));
        return _issues.Where(i => (createdBefore is null || i.Created < createdBefore)
            && (updatedFrom is null || i.Updated >= updatedFrom || !i.Done)
            && (changedSince is null || i.Updated >= changedSince));
    }

    private static DateTimeOffset? Day(Match match) =>
        match.Success ? DateTimeOffset.ParseExact(match.Groups[1].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) : null;

    // An issue as search/jql returns it with fields and the changelog expanded (shaped like Jira's documented example).
    private static string Render(Issue issue)
    {
        var key = $"{issue.Project}-{issue.Number}";
        var status = issue.Done
            ? "{\"name\":\"Done\",\"id\":\"10002\",\"statusCategory\":{\"id\":3,\"key\":\"done\",\"colorName\":\"green\",\"name\":\"Done\"}}"
            : "{\"name\":\"Approved\",\"id\":\"10005\",\"statusCategory\":{\"id\":4,\"key\":\"indeterminate\",\"colorName\":\"yellow\",\"name\":\"In Progress\"}}";
        var approved = Stamp(issue.Created.AddHours(1));
        var histories = $"{{\"id\":\"{issue.Id}1\",\"author\":{{\"accountId\":\"5b10ac8d82e05b22cc7d4ef5\",\"displayName\":\"Grace Approver\",\"active\":true}},\"created\":\"{approved}\",\"items\":[{{\"field\":\"status\",\"fieldtype\":\"jira\",\"fieldId\":\"status\",\"from\":\"10000\",\"fromString\":\"Open\",\"to\":\"10005\",\"toString\":\"Approved\"}}]}}";
        var count = 1;
        if (issue.Done)
        {
            histories += $",{{\"id\":\"{issue.Id}2\",\"author\":{{\"accountId\":\"5b10a2844c20165700ede21g\",\"displayName\":\"Ravi Engineer\",\"active\":true}},\"created\":\"{Stamp(issue.Updated)}\",\"items\":[{{\"field\":\"status\",\"fieldtype\":\"jira\",\"fieldId\":\"status\",\"from\":\"10005\",\"fromString\":\"Approved\",\"to\":\"10002\",\"toString\":\"Done\"}}]}}";
            count = 2;
        }

        return $"{{\"expand\":\"operations,versionedRepresentations,editmeta,changelog,renderedFields\",\"id\":\"{issue.Id}\",\"self\":\"https://contoso.atlassian.net/rest/api/3/issue/{issue.Id}\",\"key\":\"{key}\","
            + $"\"fields\":{{\"summary\":\"Change {key} to the model\",\"status\":{status},"
            + (issue.Done ? $"\"resolution\":{{\"name\":\"Done\",\"id\":\"10000\"}},\"resolutiondate\":\"{Stamp(issue.Updated)}\"," : "\"resolution\":null,\"resolutiondate\":null,")
            + $"\"created\":\"{Stamp(issue.Created)}\",\"updated\":\"{Stamp(issue.Updated)}\","
            + $"\"project\":{{\"id\":\"1000{Array.IndexOf(Projects, issue.Project)}\",\"key\":\"{issue.Project}\",\"name\":\"{issue.Project}\"}},"
            + "\"priority\":{\"name\":\"Medium\",\"id\":\"3\"},\"duedate\":null,"
            + "\"reporter\":{\"accountId\":\"5b109f2e9729b51b54dc274d\",\"displayName\":\"Mia Requester\",\"active\":true}},"
            + $"\"changelog\":{{\"startAt\":0,\"maxResults\":{count},\"total\":{count},\"histories\":[{histories}]}}}}";
    }

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    [GeneratedRegex(@"^id in \(([0-9, ]+)\)")]
    private static partial Regex IdList();

    [GeneratedRegex(@"created < ""(\d{4}-\d{2}-\d{2})""")]
    private static partial Regex CreatedBefore();

    [GeneratedRegex(@"\(updated >= ""(\d{4}-\d{2}-\d{2})"" OR statusCategory != Done\)")]
    private static partial Regex PeriodUpdated();

    [GeneratedRegex(@"\) AND updated >= ""(\d{4}-\d{2}-\d{2})""")]
    private static partial Regex ChangedSince();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private sealed record Issue(long Id, string Project, int Number, DateTimeOffset Created, DateTimeOffset Updated, bool Done);
}
