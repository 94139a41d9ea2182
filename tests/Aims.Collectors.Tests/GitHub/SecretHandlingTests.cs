using Aims.Collectors.GitHub;
using Aims.Collectors.Http;

namespace Aims.Collectors.Tests.GitHub;

public sealed class SecretHandlingTests
{
    [Fact]
    public async Task The_token_never_reaches_items_raw_payloads_or_the_cache()
    {
        await using var h = await GitHubHarness.StartAsync();
        h.Fake.AddRepository("contoso", "fraud-model");
        h.Fake.AddRepository("contoso", "churn-model");
        h.Fake.Get("repos/contoso/churn-model/branches/main/protection", FakeResponse.Error(403, "Must have admin rights to Repository."));
        h.Settings["EvaluationWorkflows"] = "evaluate.yml";
        h.Cache = new EvidenceStoreResponseCache(h.Store);

        await h.CollectAsync("contoso/churn-model,contoso/fraud-model");

        var files = Directory.GetFiles(h.Store.Root, "*", SearchOption.AllDirectories);
        Assert.Contains(files, f => f.Contains($"{Path.DirectorySeparatorChar}raw{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Contains(files, f => f.Contains($"{Path.DirectorySeparatorChar}items{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var file in files)
        {
            Assert.DoesNotContain(GitHubHarness.Token, await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Describe_never_shows_the_token()
    {
        await using var h = await GitHubHarness.StartAsync();

        var state = new GitHubSource().Describe(h.Section());

        Assert.True(state.Configured);
        Assert.DoesNotContain(GitHubHarness.Token, state.Detail, StringComparison.Ordinal);
        Assert.Contains("token", state.Detail, StringComparison.Ordinal);
    }
}
