using Aims.Collectors.Http;

namespace Aims.Collectors.Tests.GitHub;

public sealed class ConditionalRequestTests
{
    private const string Repo = "contoso/fraud-model";

    [Fact]
    public async Task A_second_run_sends_if_none_match_gets_304s_and_records_identical_facts()
    {
        await using var h = await GitHubHarness.StartAsync();
        h.Fake.AddRepository("contoso", "fraud-model", pullPageSize: 2);
        h.Cache = new EvidenceStoreResponseCache(h.Store);

        await h.CollectAsync(Repo, runId: "run-1");
        var firstRun = h.Fake.Requests.Count;
        await h.CollectAsync(Repo, runId: "run-2");
        var secondRun = h.Fake.Requests.Skip(firstRun).ToList();

        // Everything went out conditionally but the secret-scanning alerts (never cached) and the root SECURITY.md
        // (a 404 has no ETag to send back).
        Assert.Equal(firstRun, secondRun.Count);
        Assert.All(secondRun.Where(r => !r.Path.EndsWith("/secret-scanning/alerts", StringComparison.Ordinal) && r.Path != "/repos/contoso/fraud-model/contents/SECURITY.md"),
            r => Assert.StartsWith("W/\"", r.Header("If-None-Match")));
        Assert.Null(secondRun.Single(r => r.Path.EndsWith("/secret-scanning/alerts", StringComparison.Ordinal)).Header("If-None-Match"));

        // Paging continued from cached pages (their Link headers came from the cache).
        Assert.Equal(["1", "2", "3"], secondRun.Where(r => r.Path == "/repos/contoso/fraud-model/pulls").Select(r => r.Q("page") ?? "1").ToArray());

        var first = (await h.ItemsAsync("run-1")).ToDictionary(i => i.Kind);
        var second = (await h.ItemsAsync("run-2")).ToDictionary(i => i.Kind);
        Assert.Equal(first.Keys.Order(StringComparer.Ordinal), second.Keys.Order(StringComparer.Ordinal));
        foreach (var (kind, item) in first)
        {
            Assert.Equal(item.Facts.ToJsonString(), second[kind].Facts.ToJsonString());
            Assert.Equal(item.RawSha256, second[kind].RawSha256);
        }
    }

    [Fact]
    public async Task A_changed_resource_is_fetched_again_and_recorded_anew()
    {
        await using var h = await GitHubHarness.StartAsync();
        h.Fake.AddRepository("contoso", "fraud-model");
        h.Cache = new EvidenceStoreResponseCache(h.Store);
        await h.CollectAsync(Repo, runId: "run-1");

        h.Fake.Get("repos/contoso/fraud-model/codeowners/errors", Fixtures.Text("codeowners-errors-invalid.json", ("owner", "contoso")));
        await h.CollectAsync(Repo, runId: "run-2");

        var item = await h.ItemAsync("github.codeowners", Repo, runId: "run-2");
        Assert.False(item.Facts["valid"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Cache_entries_live_under_http_cache_and_hold_no_token_or_request_header()
    {
        await using var h = await GitHubHarness.StartAsync();
        h.Fake.AddRepository("contoso", "fraud-model");
        h.Cache = new EvidenceStoreResponseCache(h.Store);

        await h.CollectAsync(Repo);

        var folder = Path.Combine(h.Store.Root, "reports", "http-cache", "GitHub");
        var entries = Directory.GetFiles(folder, "*", SearchOption.AllDirectories);
        Assert.NotEmpty(entries);
        Assert.All(entries, e => Assert.Matches("^[0-9a-f]{64}\\.entry$", Path.GetFileName(e)));
        Assert.All(entries, e => Assert.Equal(Path.GetFileName(e)[..2], Path.GetFileName(Path.GetDirectoryName(e))));
        foreach (var entry in entries)
        {
            var text = await File.ReadAllTextAsync(entry);
            Assert.DoesNotContain(GitHubHarness.Token, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Authorization", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("secret-scanning", text, StringComparison.Ordinal);
        }
    }
}
