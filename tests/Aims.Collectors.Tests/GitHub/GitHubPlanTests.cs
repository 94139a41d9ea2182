using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Evidence.Collection;

namespace Aims.Collectors.Tests.GitHub;

public sealed class GitHubPlanTests
{
    private static readonly CollectionPlan Plan = new("run-1", GitHubHarness.Period);

    private static async Task<List<CollectionJob>> PlanAsync(GitHubHarness h)
    {
        var jobs = new List<CollectionJob>();
        await foreach (var job in h.CreateCollector().PlanAsync(Plan))
        {
            jobs.Add(job);
        }

        return jobs;
    }

    private static async Task<GitHubHarness> OrganizationAsync(int pageSize = 2)
    {
        var h = await GitHubHarness.StartAsync();
        h.Settings.Remove("Repositories");
        h.Settings["Organization"] = "contoso";
        h.Settings["Topic"] = "ai-system";
        h.Fake.Paged("orgs/contoso/repos", (JsonArray)Fixtures.Json("org-repos.json", ("owner", "contoso")), pageSize);
        return h;
    }

    [Fact]
    public async Task Pages_through_the_organization_and_keeps_repositories_with_the_topic_sorted()
    {
        await using var h = await OrganizationAsync();
        h.Settings["ReposPerJob"] = "10";

        var job = Assert.Single(await PlanAsync(h));

        Assert.Equal("github:0001", job.JobId);
        Assert.Equal("GitHub", job.Source);
        Assert.Equal(GitHubHarness.Period, job.Period);
        Assert.Equal("contoso/chatbot,contoso/Churn-Predictor,contoso/credit-scoring,contoso/fraud-model", job.Parameter("repositories"));
        Assert.Equal(["1", "2", "3"], h.Fake.RequestsTo("orgs/contoso/repos").Select(r => r.Q("page") ?? "1").ToArray());
    }

    [Fact]
    public async Task Slices_repositories_into_jobs_of_ReposPerJob_with_stable_ids()
    {
        await using var h = await OrganizationAsync();
        h.Settings["ReposPerJob"] = "3";

        var first = await PlanAsync(h);
        var second = await PlanAsync(h);

        Assert.Equal(["github:0001", "github:0002"], first.Select(j => j.JobId).ToArray());
        Assert.Equal("contoso/chatbot,contoso/Churn-Predictor,contoso/credit-scoring", first[0].Parameter("repositories"));
        Assert.Equal("contoso/fraud-model", first[1].Parameter("repositories"));
        Assert.Equal(first.Select(j => j.ToJson().ToJsonString()), second.Select(j => j.ToJson().ToJsonString()));
    }

    [Fact]
    public async Task An_explicit_list_is_planned_sorted_without_calling_github()
    {
        await using var h = await GitHubHarness.StartAsync();
        h.Settings["Repositories"] = "contoso/zeta, contoso/alpha,contoso/Alpha";

        var job = Assert.Single(await PlanAsync(h));

        Assert.Equal("contoso/alpha,contoso/zeta", job.Parameter("repositories"));
        Assert.Empty(h.Fake.Requests);
    }

    [Fact]
    public async Task A_repeating_next_link_stops_paging_collects_what_was_found_and_plans_an_error_for_the_incomplete_scope()
    {
        await using var h = await OrganizationAsync();
        var page = (JsonArray)Fixtures.Json("org-repos.json", ("owner", "contoso"));
        h.Fake.Get("orgs/contoso/repos", request => FakeResponse.Ok(page.ToJsonString(), new Dictionary<string, string>
        {
            // A broken server that keeps pointing at page 2 from page 2.
            ["Link"] = $"<{h.Fake.PageUrl(request, 2)}>; rel=\"next\"",
        }));

        var jobs = await PlanAsync(h);

        Assert.Equal(2, h.Fake.RequestsTo("orgs/contoso/repos").Count);
        Assert.Equal(2, jobs.Count);
        Assert.Equal(["github:scope", "github:0001"], jobs.Select(j => j.JobId).ToArray());
        Assert.Contains("links back to a page already read", jobs[0].Parameter("planError"), StringComparison.Ordinal);
        Assert.Contains("contoso/fraud-model", jobs[1].Parameter("repositories"));
    }

    [Fact]
    public async Task A_failed_enumeration_plans_one_job_that_records_a_source_level_error()
    {
        await using var h = await OrganizationAsync();
        h.Fake.Get("orgs/contoso/repos", FakeResponse.Error(401, "Bad credentials"));

        var job = Assert.Single(await PlanAsync(h));
        await h.CollectAsync(h.CreateCollector(), job);

        Assert.Equal("github:scope", job.JobId);
        Assert.Equal("", job.Parameter("repositories"));
        Assert.Contains("Bad credentials", job.Parameter("planError"));
        var error = Assert.Single(await h.ItemsAsync());
        Assert.Equal(EvidenceKinds.CollectorError, error.Kind);
        Assert.Equal("source", error.Subject.Type);
        Assert.Equal("github", error.Subject.Id);
        Assert.Equal(EvidenceKinds.GitHubRepository, error.Facts["attemptedKind"]!.GetValue<string>());
        Assert.Contains("/orgs/contoso/repos", error.Facts["error"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_governance_repository_gets_its_own_policy_job()
    {
        await using var h = await GitHubHarness.StartAsync();
        h.Settings["GovernanceRepository"] = "contoso/ai-governance";
        h.Settings["PolicyPaths"] = "policies";

        var jobs = await PlanAsync(h);

        Assert.Equal(["github:0001", "github:policies"], jobs.Select(j => j.JobId).ToArray());
        Assert.Equal("contoso/ai-governance", jobs[1].Parameter("policyRepository"));
    }
}
