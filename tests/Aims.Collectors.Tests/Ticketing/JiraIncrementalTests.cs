using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aims.Collectors.Sources;
using Aims.Collectors.Tests.GitHub;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>
/// Re-runs with collector state: only tickets updated since the last complete read are asked for, the merged population
/// is checked against Jira's approximate count, and reconciled by issue id when the two disagree.
/// </summary>
public sealed partial class JiraIncrementalTests
{
    private const string CountPath = "rest/api/3/search/approximate-count";
    private const string IdsPath = "rest/api/3/search/id";
    private const string Kind = "ticket.concerns";
    private const string SubjectId = "jira/FRAUD/concerns";

    [Fact]
    public async Task The_first_run_reads_in_full_and_keeps_the_population_with_people_ids_only_as_digests()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);

        await h.CollectAsync();

        Assert.Equal(3, site.Searches.Count);
        Assert.All(site.Searches, jql => Assert.DoesNotMatch(@"AND updated >= ""[0-9-]+"" ORDER BY", jql));
        var state = await File.ReadAllTextAsync(Path.Combine(h.Store.Root, "reports", "collector-state", "Jira", "jira.concerns.jsonl"));
        Assert.Equal(6, state.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain("acct-anonymous-intake", state, StringComparison.Ordinal);
        Assert.Contains("sha256:", state, StringComparison.Ordinal);
        Assert.DoesNotContain(TicketingHarness.Secret, state, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unchanged_rerun_sends_one_changes_search_and_one_count_and_records_the_same_population()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();
        var first = await LatestAsync(h);
        var before = h.Fake.Requests.Count;

        await RunAgainAsync(h, site);

        Assert.Equal(2, h.Fake.Requests.Count - before);
        var changes = Assert.Single(site.Searches);
        Assert.EndsWith($" AND updated >= \"2025-04-01\" ORDER BY created ASC, key ASC", changes, StringComparison.Ordinal);
        Assert.Single(h.Fake.RequestsTo(CountPath));
        var second = await LatestAsync(h);
        Assert.Equal(first.Facts["concerns"]!.ToJsonString(), second.Facts["concerns"]!.ToJsonString());
        Assert.Equal(first.Facts["query"]!.ToJsonString(), second.Facts["query"]!.ToJsonString());
    }

    [Fact]
    public async Task A_ticket_updated_since_the_last_read_is_read_again_and_replaces_the_kept_one()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();
        site.Resolve(3, h.Clock.GetUtcNow());

        await RunAgainAsync(h, site);

        Assert.Empty(h.Fake.RequestsTo(IdsPath));
        var concerns = (await LatestAsync(h)).Facts["concerns"]!.AsArray();
        Assert.Equal(5, concerns.Count);
        var resolved = concerns.Single(c => c!["key"]!.GetValue<string>() == "FRAUD-3")!;
        Assert.Equal("Done", resolved["status"]!.GetValue<string>());
        Assert.False(resolved["open"]!.GetValue<bool>());
    }

    [Fact]
    public async Task A_deleted_ticket_fails_the_count_and_the_population_is_reconciled_by_issue_id()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();
        site.Delete(2);

        await RunAgainAsync(h, site);

        Assert.Single(h.Fake.RequestsTo(IdsPath));
        Assert.Equal(["FRAUD-1", "FRAUD-3", "FRAUD-4", "FRAUD-5"], Keys(await LatestAsync(h)));
    }

    [Fact]
    public async Task A_matching_ticket_the_kept_population_lacks_is_read_by_issue_id()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();

        // Visible now without having been updated (e.g. the bot was granted browse permission on it).
        site.Add(6, updated: TicketingHarness.Period.From.AddDays(20));

        await RunAgainAsync(h, site);

        Assert.Contains(site.Searches, jql => jql.StartsWith("id in (10006) ORDER BY", StringComparison.Ordinal));
        Assert.Equal(["FRAUD-1", "FRAUD-2", "FRAUD-3", "FRAUD-4", "FRAUD-5", "FRAUD-6"], Keys(await LatestAsync(h)));
    }

    [Fact]
    public async Task Without_the_count_endpoint_the_population_is_reconciled_by_issue_id()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();
        h.Fake.On("POST", CountPath, _ => FakeResponse.Error(404, "Not Found"));

        await RunAgainAsync(h, site);

        Assert.Single(h.Fake.RequestsTo(IdsPath));
        Assert.Equal(5, Keys(await LatestAsync(h)).Length);
        Assert.Empty(await h.ErrorsAsync());
    }

    [Fact]
    public async Task Self_approval_survives_the_kept_population_where_people_ids_are_digests()
    {
        await using var h = await StartAsync("change-requests");
        var site = JiraSite.Serve(h, 2);
        site.SelfApprove(1);
        await h.CollectAsync();

        await RunAgainAsync(h, site);

        Assert.Single(site.Searches);
        var items = (await h.ItemsAsync()).Where(i => i.Kind == "ticket.change-requests").OrderBy(i => i.ObservedAt).ToList();
        Assert.Equal(2, items.Count);
        Assert.All(items, i => Assert.Equal(1, i.Facts["selfApproved"]!.GetValue<int>()));
    }

    [Fact]
    public async Task A_changed_query_setting_discards_the_kept_population_and_reads_in_full()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();
        h.Settings["Queries:Concerns"] = "labels = \"ai-concern\" OR labels = \"ai-ethics\"";

        await RunAgainAsync(h, site);

        Assert.Equal(3, site.Searches.Count);
        Assert.Empty(h.Fake.RequestsTo(CountPath));
    }

    [Fact]
    public async Task A_full_read_comes_back_once_the_kept_population_is_older_than_FullReadEveryDays()
    {
        await using var h = await StartAsync();
        h.Settings["FullReadEveryDays"] = "3";
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();

        await RunAgainAsync(h, site, TimeSpan.FromDays(3));

        Assert.Equal(3, site.Searches.Count);
        Assert.Empty(h.Fake.RequestsTo(CountPath));
    }

    [Fact]
    public async Task FullReadEveryDays_zero_keeps_no_state_and_always_reads_in_full()
    {
        await using var h = await StartAsync();
        h.Settings["FullReadEveryDays"] = "0";
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();

        await RunAgainAsync(h, site);

        Assert.Equal(3, site.Searches.Count);
        Assert.False(Directory.Exists(Path.Combine(h.Store.Root, "reports", "collector-state")));
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"format\":1,\"fingerprint\":\"x\"}")]
    [InlineData("")]
    public async Task A_damaged_or_foreign_state_file_means_a_full_read_not_a_failure(string content)
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        await h.State!.SaveAsync("Jira", "jira.concerns.jsonl", new MemoryStream(System.Text.Encoding.UTF8.GetBytes(content)));

        await h.CollectAsync();

        Assert.Equal(3, site.Searches.Count);
        Assert.Empty(await h.ErrorsAsync());
        Assert.Equal(5, Keys(await LatestAsync(h)).Length);
    }

    [Fact]
    public async Task A_truncated_state_file_means_a_full_read()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        await h.CollectAsync();
        var path = Path.Combine(h.Store.Root, "reports", "collector-state", "Jira", "jira.concerns.jsonl");
        var lines = await File.ReadAllLinesAsync(path);
        await File.WriteAllLinesAsync(path, lines[..^2]);

        await RunAgainAsync(h, site);

        Assert.Equal(3, site.Searches.Count);
    }

    [Fact]
    public async Task An_incomplete_population_is_never_kept()
    {
        await using var h = await StartAsync();
        var site = JiraSite.Serve(h, 5);
        site.RepeatToken = true;

        await h.CollectAsync();

        Assert.False((await LatestAsync(h)).Facts["complete"]!.GetValue<bool>());
        Assert.False(File.Exists(Path.Combine(h.Store.Root, "reports", "collector-state", "Jira", "jira.concerns.jsonl")));
    }

    /// <summary>A later run: the clock moves on (a day unless told), the run id changes, the site forgets what it was asked.</summary>
    private static async Task RunAgainAsync(TicketingHarness h, JiraSite site, TimeSpan? after = null)
    {
        h.Clock.Advance(after ?? TimeSpan.FromDays(1));
        h.RunId = $"run-{h.Clock.GetUtcNow():yyyyMMddHHmm}";
        site.Reset();
        await h.CollectAsync();
    }

    private static async Task<TicketingHarness> StartAsync(string kind = "concerns")
    {
        var h = await TicketingHarness.JiraAsync();
        h.Settings["Kinds"] = kind;
        h.Settings["Projects"] = "FRAUD";
        h.Settings["PageSize"] = "2";
        h.State = new EvidenceStoreCollectorState(h.Store);
        return h;
    }

    private static async Task<Aims.Evidence.Items.EvidenceItem> LatestAsync(TicketingHarness h) =>
        (await h.ItemsAsync()).Where(i => i.Kind == Kind && i.Subject.Id == SubjectId).OrderBy(i => i.ObservedAt).Last();

    private static string[] Keys(Aims.Evidence.Items.EvidenceItem item) =>
        item.Facts["concerns"]!.AsArray().Select(c => c!["key"]!.GetValue<string>()).ToArray();

    /// <summary>
    /// A Jira site holding issues of project FRAUD that understands the three JQL shapes the collector sends: the
    /// population filter, the filter with <c>updated &gt;= "day"</c>, and <c>id in (...)</c>. Pages by the request's maxResults.
    /// </summary>
    private sealed partial class JiraSite
    {
        private readonly ConcurrentDictionary<int, JsonObject> _issues = new();
        private readonly ConcurrentQueue<string> _searches = new();

        public IReadOnlyList<string> Searches => _searches.ToArray();

        public bool RepeatToken { get; set; }

        public static JiraSite Serve(TicketingHarness h, int count)
        {
            var site = new JiraSite();
            for (var n = 1; n <= count; n++)
            {
                site.Add(n, TicketingHarness.Period.From.AddDays(n));
            }

            h.Fake.On("POST", FakeJira.SearchPath, site.Search);
            h.Fake.On("POST", CountPath, _ => FakeResponse.Ok(new JsonObject { ["count"] = site._issues.Count }));
            h.Fake.On("POST", IdsPath, site.Ids);
            return site;
        }

        public void Reset() => _searches.Clear();

        public void Add(int number, DateTimeOffset updated)
        {
            var issue = FakeJira.Issue("FRAUD", number, day: number).AsObject();
            issue["fields"]!["updated"] = Stamp(updated);
            _issues[number] = issue;
        }

        public void Delete(int number) => _issues.TryRemove(number, out _);

        public void Resolve(int number, DateTimeOffset at)
        {
            var fields = _issues[number]["fields"]!.AsObject();
            fields["status"] = JsonNode.Parse("""{ "name": "Done", "statusCategory": { "key": "done", "name": "Done" } }""");
            fields["resolution"] = JsonNode.Parse("""{ "name": "Done" }""");
            fields["resolutiondate"] = Stamp(at);
            fields["updated"] = Stamp(at);
        }

        public void SelfApprove(int number)
        {
            var issue = _issues[number];
            issue["changelog"] = JsonNode.Parse($$"""
                { "startAt": 0, "maxResults": 1, "total": 1, "histories": [ {
                  "id": "900{{number}}", "created": "{{Stamp(TicketingHarness.Period.From.AddDays(number).AddHours(2))}}",
                  "author": { "accountId": "acct-anonymous-intake", "displayName": "Intake form" },
                  "items": [ { "field": "status", "fieldId": "status", "fromString": "Open", "toString": "Approved" } ] } ] }
                """);
        }

        private FakeResponse Search(FakeRequest request)
        {
            var body = FakeJira.Body(request);
            var jql = body["jql"]!.GetValue<string>();
            _searches.Enqueue(jql);
            IEnumerable<JsonObject> matches = _issues.OrderBy(i => i.Key).Select(i => i.Value);
            if (IdList().Match(jql) is { Success: true } ids)
            {
                var wanted = ids.Groups[1].Value.Split(", ").Select(s => s.Trim()).ToHashSet(StringComparer.Ordinal);
                matches = matches.Where(i => wanted.Contains(i["id"]!.GetValue<string>()));
            }
            else if (UpdatedSince().Match(jql) is { Success: true } since)
            {
                var day = DateTimeOffset.Parse(since.Groups[1].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
                matches = matches.Where(i => DateTimeOffset.Parse(i["fields"]!["updated"]!.GetValue<string>(), CultureInfo.InvariantCulture) >= day);
            }

            var all = matches.ToList();
            var size = body["maxResults"]!.GetValue<int>();
            var offset = FakeJira.Token(request) is { } token ? int.Parse(token[2..], CultureInfo.InvariantCulture) : 0;
            var next = offset + size < all.Count ? (RepeatToken ? "o:2" : $"o:{offset + size}") : null;
            return FakeJira.Page(next, all.Skip(offset).Take(size).Select(i => i.DeepClone()).ToArray());
        }

        private FakeResponse Ids(FakeRequest request)
        {
            var ids = new JsonArray(_issues.OrderBy(i => i.Key).Select(i => (JsonNode)long.Parse(i.Value["id"]!.GetValue<string>(), CultureInfo.InvariantCulture)).ToArray());
            return FakeResponse.Ok(new JsonObject { ["issueIds"] = ids });
        }

        private static string Stamp(DateTimeOffset t) => t.ToString("yyyy-MM-dd'T'HH:mm:ss.fff+0000", CultureInfo.InvariantCulture);

        [GeneratedRegex(@"^id in \(([0-9, ]+)\) ORDER BY")]
        private static partial Regex IdList();

        [GeneratedRegex(@" AND updated >= ""(\d{4}-\d{2}-\d{2})"" ORDER BY")]
        private static partial Regex UpdatedSince();
    }
}
