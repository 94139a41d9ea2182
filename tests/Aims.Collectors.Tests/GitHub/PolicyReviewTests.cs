using Aims.Evidence.Collection;

namespace Aims.Collectors.Tests.GitHub;

public sealed class PolicyReviewTests
{
    [Fact]
    public async Task Counts_policies_whose_last_change_lacked_an_independent_approval()
    {
        await using var h = await GitHubHarness.StartAsync();
        h.Settings["GovernanceRepository"] = "contoso/ai-governance";
        h.Settings["PolicyPaths:0"] = "policies";
        h.Settings["PolicyPaths:1"] = "standards/missing.md";
        h.Fake.AddGovernanceRepository("contoso", "ai-governance");
        var job = new CollectionJob("run-1", "github:policies", "GitHub", GitHubHarness.Period, new Dictionary<string, string> { ["policyRepository"] = "contoso/ai-governance" });

        await h.CollectAsync(h.CreateCollector(), job);

        var item = await h.ItemAsync("github.policy-reviews", "contoso/ai-governance");
        var policies = item.Facts["policies"]!.AsArray().ToDictionary(p => p!["path"]!.GetValue<string>());
        Assert.Equal(3, item.Facts["policyCount"]!.GetValue<int>());
        Assert.Equal(2, item.Facts["unapprovedChanges"]!.GetValue<int>());
        Assert.Equal(["standards/missing.md"], item.Facts["missingPaths"]!.AsArray().Select(p => p!.GetValue<string>()).ToArray());

        Assert.True(policies["policies/ai-policy.md"]!["approved"]!.GetValue<bool>());
        Assert.Equal(31, policies["policies/ai-policy.md"]!["pullRequest"]!.GetValue<int>());
        Assert.Equal("jane", policies["policies/ai-policy.md"]!["approvers"]![0]!.GetValue<string>());

        Assert.False(policies["policies/risk-policy.md"]!["approved"]!.GetValue<bool>());
        Assert.Equal("changed without a merged pull request", policies["policies/risk-policy.md"]!["reason"]!.GetValue<string>());

        Assert.False(policies["policies/annex/impact-assessment.md"]!["approved"]!.GetValue<bool>());
        Assert.Equal("ivan", policies["policies/annex/impact-assessment.md"]!["pullRequestAuthor"]!.GetValue<string>());
    }
}
