using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Collectors.Tests.GitHub;
using Aims.Collectors.Tests.Http;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>The token and offset pagers the ticketing collectors add to the HTTP plumbing.</summary>
public sealed class PagingTests
{
    private static JsonRestClient Client(FakeGitHub fake) =>
        new(new HttpClient(fake.CreateClientHandler()), fake.ApiRoot, new JsonRestClientOptions { Source = "Test" },
            new FastForwardTimeProvider(new DateTimeOffset(2025, 4, 2, 0, 0, 0, TimeSpan.Zero)));

    private static JsonObject Page(int from, int count, long? total = null, bool? isLast = null)
    {
        var page = new JsonObject { ["values"] = new JsonArray(Enumerable.Range(from, count).Select(i => (JsonNode)new JsonObject { ["id"] = i.ToString(CultureInfo.InvariantCulture) }).ToArray()) };
        if (total is not null)
        {
            page["total"] = total;
        }

        if (isLast is not null)
        {
            page["isLast"] = isLast;
        }

        return page;
    }

    private static OffsetPageInfo Describe(JsonObject page) => new(
        page["values"]!.AsArray().Count,
        page["values"]!.AsArray().FirstOrDefault()?["id"]?.GetValue<string>(),
        page["isLast"]?.GetValue<bool>(),
        page["total"]?.GetValue<long>());

    private static async Task<List<JsonObject>> ReadAllAsync(IAsyncEnumerable<JsonObject> pages)
    {
        var list = new List<JsonObject>();
        await foreach (var page in pages)
        {
            list.Add(page);
        }

        return list;
    }

    [Fact]
    public async Task Offset_paging_stops_once_the_total_is_read_without_asking_for_an_empty_page()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Get("items", r => FakeResponse.Ok(Page(int.Parse(r.Q("offset")!, CultureInfo.InvariantCulture), 2, total: 4)));
        var progress = new PagingProgress();

        var pages = await ReadAllAsync(Client(fake).GetOffsetPagesAsync(o => $"items?offset={o}", 2, r => r.ParseObject(), Describe, progress));

        Assert.Equal(2, pages.Count);
        Assert.Equal(2, fake.RequestsTo("items").Count);
        Assert.True(progress.Complete);
        Assert.Equal(2, progress.Pages);
    }

    [Fact]
    public async Task Offset_paging_goes_on_after_a_short_page_when_the_server_says_it_is_not_the_last()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Get("items", r => r.Q("offset") == "0" ? FakeResponse.Ok(Page(0, 1, isLast: false)) : FakeResponse.Ok(Page(1, 1, isLast: true)));

        var pages = await ReadAllAsync(Client(fake).GetOffsetPagesAsync(o => $"items?offset={o}", 100, r => r.ParseObject(), Describe));

        Assert.Equal(["0", "1"], fake.RequestsTo("items").Select(r => r.Q("offset") ?? "").ToArray());
        Assert.Equal(2, pages.Count);
    }

    [Fact]
    public async Task Offset_paging_stops_on_a_link_back_to_a_page_already_read()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Get("items", r => FakeResponse.Ok(Page(r.Q("offset") == "0" ? 0 : 2, 2).ToJsonString(),
            new Dictionary<string, string> { ["Link"] = $"<{fake.ApiRoot.AbsoluteUri}items?offset={(r.Q("offset") == "0" ? 2 : 0)}>; rel=\"next\"" }));
        var progress = new PagingProgress();

        var pages = await ReadAllAsync(Client(fake).GetOffsetPagesAsync(o => $"items?offset={o}", 2, r => r.ParseObject(), Describe, progress));

        Assert.Equal(2, pages.Count);
        Assert.False(progress.Complete);
        Assert.Contains("links back", progress.StopReason);
    }

    [Fact]
    public async Task Token_paging_stops_when_no_token_comes_back()
    {
        await using var fake = await FakeGitHub.StartAsync();
        fake.Get("search", r => FakeResponse.Ok(r.Q("token") switch
        {
            null => """{"values":[1],"next":"b"}""",
            "b" => """{"values":[2],"next":"c"}""",
            _ => """{"values":[3]}""",
        }));
        var progress = new PagingProgress();

        var pages = await ReadAllAsync(Client(fake).GetTokenPagesAsync(
            t => RestRequest.Get(t is null ? "search" : $"search?token={t}"), r => r.ParseObject(), p => p["next"]?.GetValue<string>(), progress));

        Assert.Equal(3, pages.Count);
        Assert.True(progress.Complete);
        Assert.Equal(3, progress.Pages);
    }
}
