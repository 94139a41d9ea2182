using Aims.Evidence;

namespace Aims.Collectors.Tests.GitHub;

public sealed class GitHubEnterpriseTests
{
    [Fact]
    public async Task Collects_under_the_api_v3_prefix_over_https_including_paged_links()
    {
        await using var h = await GitHubHarness.StartAsync("/api/v3", https: true);
        h.Fake.AddRepository("contoso", "fraud-model", pullPageSize: 2);
        Assert.StartsWith("https://127.0.0.1:", h.Settings["BaseUrl"]);
        Assert.EndsWith("/api/v3/", h.Settings["BaseUrl"]);

        await h.CollectAsync("contoso/fraud-model");

        Assert.Empty(await h.ErrorsAsync("contoso/fraud-model"));
        var item = await h.ItemAsync(EvidenceKinds.GitHubPullRequests, "contoso/fraud-model");
        Assert.Equal(3, item.Facts["mergedCount"]!.GetValue<int>());
        Assert.EndsWith("/api/v3", item.Source.Instance);
        Assert.Equal(3, h.Fake.RequestsTo("repos/contoso/fraud-model/pulls").Count);
    }

    [Fact]
    public async Task A_base_url_without_trailing_slash_keeps_its_path()
    {
        await using var h = await GitHubHarness.StartAsync("/api/v3");
        h.Fake.AddRepository("contoso", "fraud-model");
        h.Settings["BaseUrl"] = h.Fake.ApiRoot.AbsoluteUri.TrimEnd('/');

        await h.CollectAsync("contoso/fraud-model");

        Assert.Empty(await h.ErrorsAsync("contoso/fraud-model"));
    }
}
