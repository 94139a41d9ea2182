using System.Text.Json.Nodes;
using Aims.Evidence;

namespace Aims.Collectors.Tests.GitHub;

public sealed class GitHubCollectorTests
{
    private const string Repo = "contoso/fraud-model";

    private static async Task<GitHubHarness> CollectedAsync(Action<GitHubHarness>? configure = null)
    {
        var h = await GitHubHarness.StartAsync();
        h.Fake.AddRepository("contoso", "fraud-model");
        h.Settings["EvaluationWorkflows"] = "evaluate.yml";
        configure?.Invoke(h);
        await h.CollectAsync(Repo);
        return h;
    }

    private static string[] Strings(JsonNode? array) => array!.AsArray().Select(n => n!.GetValue<string>()).ToArray();

    public sealed class Repository
    {
        [Fact]
        public async Task Records_topics_visibility_default_branch_and_custom_properties()
        {
            await using var h = await CollectedAsync();

            var item = await h.ItemAsync(EvidenceKinds.GitHubRepository, Repo);

            Assert.Equal("repository", item.Subject.Type);
            Assert.Equal(Repo, item.Subject.DisplayName);
            Assert.Equal(["ai-system", "fraud"], Strings(item.Facts["topics"]));
            Assert.Equal("private", item.Facts["visibility"]!.GetValue<string>());
            Assert.Equal("main", item.Facts["defaultBranch"]!.GetValue<string>());
            Assert.False(item.Facts["archived"]!.GetValue<bool>());
            Assert.Equal("high", item.Facts["customProperties"]!["ai-risk-tier"]!.GetValue<string>());
            Assert.Equal("/repos/contoso/fraud-model", item.Source.Locator);
            Assert.Equal("github", item.Source.System);
            Assert.Equal(h.Fake.ApiRoot.AbsoluteUri.TrimEnd('/'), item.Source.Instance);
        }

        [Fact]
        public async Task Keeps_the_provider_json_as_the_raw_payload()
        {
            await using var h = await CollectedAsync();

            var item = await h.ItemAsync(EvidenceKinds.GitHubRepository, Repo);
            var raw = await h.RawAsync(item);

            Assert.Equal("application/json", item.RawMediaType);
            Assert.Equal(702341, raw["id"]!.GetValue<int>());
            Assert.Equal("contoso/fraud-model", raw["full_name"]!.GetValue<string>());
        }

        [Fact]
        public async Task Sends_the_github_headers_and_the_token()
        {
            await using var h = await CollectedAsync();

            var request = h.Fake.RequestsTo("repos/contoso/fraud-model").First();

            Assert.StartsWith("aims-evidence/", request.Header("User-Agent"));
            Assert.Equal("application/vnd.github+json", request.Header("Accept"));
            Assert.Equal("2022-11-28", request.Header("X-GitHub-Api-Version"));
            Assert.Equal($"Bearer {GitHubHarness.Token}", request.Header("Authorization"));
        }
    }

    public sealed class BranchProtection
    {
        [Fact]
        public async Task Merges_classic_protection_with_branch_rules_taking_the_highest_review_count()
        {
            await using var h = await CollectedAsync();

            var facts = (await h.ItemAsync(EvidenceKinds.GitHubBranchProtection, Repo)).Facts;

            Assert.True(facts["protected"]!.GetValue<bool>());
            Assert.True(facts["classicProtection"]!.GetValue<bool>());
            Assert.Equal(2, facts["requiredApprovingReviewCount"]!.GetValue<int>());
            Assert.True(facts["dismissStaleReviews"]!.GetValue<bool>());
            Assert.True(facts["requireCodeOwnerReviews"]!.GetValue<bool>());
            Assert.True(facts["requireLastPushApproval"]!.GetValue<bool>());
            Assert.True(facts["enforceAdmins"]!.GetValue<bool>());
            Assert.True(facts["deletionsBlocked"]!.GetValue<bool>());
            Assert.Equal(["ci/build", "eval/model-card"], Strings(facts["requiredStatusChecks"]));
            Assert.Equal(["org default branch", "no deletions"], facts["rulesets"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).Order(StringComparer.Ordinal).Reverse().ToArray());
        }

        [Fact]
        public async Task A_404_for_protection_and_no_rules_is_the_fact_not_protected()
        {
            await using var h = await CollectedAsync(h =>
            {
                h.Fake.Get("repos/contoso/fraud-model/branches/main/protection", FakeResponse.Error(404, "Branch not protected"));
                h.Fake.Get("repos/contoso/fraud-model/rules/branches/main", "[]");
                h.Fake.Get("repos/contoso/fraud-model/rulesets", "[]");
            });

            var item = await h.ItemAsync(EvidenceKinds.GitHubBranchProtection, Repo);

            Assert.False(item.Facts["protected"]!.GetValue<bool>());
            Assert.Equal(0, item.Facts["requiredApprovingReviewCount"]!.GetValue<int>());
            Assert.False(item.Facts["enforceAdmins"]!.GetValue<bool>());
            Assert.Empty(await h.ErrorsAsync(Repo));
        }

        [Fact]
        public async Task Rules_alone_protect_the_branch_when_there_is_no_classic_protection()
        {
            await using var h = await CollectedAsync(h => h.Fake.Get("repos/contoso/fraud-model/branches/main/protection", FakeResponse.Error(404, "Branch not protected")));

            var facts = (await h.ItemAsync(EvidenceKinds.GitHubBranchProtection, Repo)).Facts;

            Assert.True(facts["protected"]!.GetValue<bool>());
            Assert.False(facts["classicProtection"]!.GetValue<bool>());
            Assert.Equal(2, facts["requiredApprovingReviewCount"]!.GetValue<int>());
        }
    }

    public sealed class PullRequests
    {
        [Fact]
        public async Task Records_the_population_merged_in_the_period_with_independent_approval()
        {
            await using var h = await CollectedAsync();

            var item = await h.ItemAsync(EvidenceKinds.GitHubPullRequests, Repo);
            var pulls = item.Facts["pullRequests"]!.AsArray().ToDictionary(p => p!["number"]!.GetValue<int>());

            Assert.Equal(GitHubHarness.Period, item.Period);
            Assert.Equal(3, item.Facts["mergedCount"]!.GetValue<int>());
            Assert.Equal(2, item.Facts["mergedWithoutIndependentApproval"]!.GetValue<int>());
            Assert.Equal([9, 11, 12], pulls.Keys.Order().ToArray());

            // #12: approved by bob, who is not the author; dave only commented.
            Assert.True(pulls[12]!["independentlyApproved"]!.GetValue<bool>());
            Assert.Equal(["bob"], Strings(pulls[12]!["approvers"]));
            Assert.Equal("alice", pulls[12]!["author"]!.GetValue<string>());
            Assert.Equal("bob", pulls[12]!["mergedBy"]!.GetValue<string>());
            Assert.Equal("2025-03-19T15:00:00Z", pulls[12]!["mergedAt"]!.GetValue<string>());
            Assert.Equal("Retrain on February data", pulls[12]!["title"]!.GetValue<string>());

            // #11: the author approved it herself; erin approved only after the merge.
            Assert.False(pulls[11]!["independentlyApproved"]!.GetValue<bool>());
            Assert.Empty(pulls[11]!["approvers"]!.AsArray());

            // #9: bob approved, then requested changes; a later comment does not restore the approval.
            Assert.False(pulls[9]!["independentlyApproved"]!.GetValue<bool>());
        }

        [Fact]
        public async Task Pages_through_link_headers_and_stops_once_pull_requests_predate_the_period()
        {
            await using var h = await GitHubHarness.StartAsync();
            h.Fake.AddRepository("contoso", "fraud-model", pullPageSize: 2);

            await h.CollectAsync(Repo);

            var pages = h.Fake.RequestsTo("repos/contoso/fraud-model/pulls").Select(r => r.Q("page") ?? "1").ToArray();
            Assert.Equal(["1", "2", "3"], pages);
            Assert.All(h.Fake.RequestsTo("repos/contoso/fraud-model/pulls"), r => Assert.Equal("100", r.Q("per_page")));
            var item = await h.ItemAsync(EvidenceKinds.GitHubPullRequests, Repo);
            Assert.Equal(3, item.Facts["mergedCount"]!.GetValue<int>());
        }

        [Fact]
        public async Task Keeps_each_pull_request_and_its_reviews_in_the_raw_payload()
        {
            await using var h = await CollectedAsync();

            var raw = await h.RawAsync(await h.ItemAsync(EvidenceKinds.GitHubPullRequests, Repo));

            var first = raw["pullRequests"]!.AsArray()[0]!;
            Assert.Equal(9, first["pull"]!["number"]!.GetValue<int>());
            Assert.Equal(3, first["reviews"]!.AsArray().Count);
        }
    }

    public sealed class CodeOwners
    {
        [Fact]
        public async Task A_file_without_errors_is_present_and_valid()
        {
            await using var h = await CollectedAsync();

            var facts = (await h.ItemAsync("github.codeowners", Repo)).Facts;

            Assert.True(facts["present"]!.GetValue<bool>());
            Assert.True(facts["valid"]!.GetValue<bool>());
            Assert.Equal(0, facts["errors"]!.GetValue<int>());
        }

        [Fact]
        public async Task Errors_make_it_invalid_and_are_counted()
        {
            await using var h = await CollectedAsync(h =>
                h.Fake.Get("repos/contoso/fraud-model/codeowners/errors", Fixtures.Text("codeowners-errors-invalid.json", ("owner", "contoso"))));

            var facts = (await h.ItemAsync("github.codeowners", Repo)).Facts;

            Assert.True(facts["present"]!.GetValue<bool>());
            Assert.False(facts["valid"]!.GetValue<bool>());
            Assert.Equal(2, facts["errors"]!.GetValue<int>());
            Assert.Equal("Unknown owner", facts["errorDetails"]![0]!["kind"]!.GetValue<string>());
        }

        [Fact]
        public async Task A_404_means_no_codeowners_file()
        {
            await using var h = await CollectedAsync(h => h.Fake.Get("repos/contoso/fraud-model/codeowners/errors", FakeResponse.NotFound()));

            var facts = (await h.ItemAsync("github.codeowners", Repo)).Facts;

            Assert.False(facts["present"]!.GetValue<bool>());
            Assert.False(facts["valid"]!.GetValue<bool>());
            Assert.Equal(0, facts["errors"]!.GetValue<int>());
        }
    }

    public sealed class SecurityPolicy
    {
        [Fact]
        public async Task Finds_security_md_under_dot_github_and_reads_private_vulnerability_reporting()
        {
            await using var h = await CollectedAsync();

            var facts = (await h.ItemAsync("github.security-policy", Repo)).Facts;

            Assert.True(facts["securityPolicyPresent"]!.GetValue<bool>());
            Assert.Equal(".github/SECURITY.md", facts["securityPolicyPath"]!.GetValue<string>());
            Assert.True(facts["privateVulnerabilityReporting"]!.GetValue<bool>());
        }

        [Fact]
        public async Task No_file_and_a_hidden_setting_are_facts()
        {
            await using var h = await CollectedAsync(h =>
            {
                h.Fake.Get("repos/contoso/fraud-model/contents/.github/SECURITY.md", FakeResponse.NotFound());
                h.Fake.Get("repos/contoso/fraud-model/private-vulnerability-reporting", FakeResponse.Error(403, "Resource not accessible by integration"));
            });

            var facts = (await h.ItemAsync("github.security-policy", Repo)).Facts;

            Assert.False(facts["securityPolicyPresent"]!.GetValue<bool>());
            Assert.False(facts["privateVulnerabilityReporting"]!.GetValue<bool>());
            Assert.False(facts["privateVulnerabilityReportingVisible"]!.GetValue<bool>());
        }
    }

    public sealed class WorkflowRuns
    {
        [Fact]
        public async Task Counts_conclusions_of_the_configured_workflow_in_the_period()
        {
            await using var h = await CollectedAsync();

            var item = await h.ItemAsync("github.workflow-runs", Repo);
            var workflow = item.Facts["workflows"]![0]!;

            Assert.Equal(3, item.Facts["totalRuns"]!.GetValue<int>());
            Assert.Equal(2, item.Facts["successfulRuns"]!.GetValue<int>());
            Assert.Equal("Model evaluation", workflow["name"]!.GetValue<string>());
            Assert.Equal(2, workflow["conclusions"]!["success"]!.GetValue<int>());
            Assert.Equal(1, workflow["conclusions"]!["failure"]!.GetValue<int>());
            Assert.Equal("success", workflow["lastConclusion"]!.GetValue<string>());
            Assert.Equal(GitHubHarness.Period, item.Period);
        }

        [Fact]
        public async Task Pushes_the_period_start_to_the_api_so_the_request_stays_the_same_as_the_period_grows()
        {
            await using var h = await CollectedAsync();

            var request = Assert.Single(h.Fake.RequestsTo("repos/contoso/fraud-model/actions/workflows/161335/runs"));

            Assert.Equal(">=2025-01-01T00:00:00Z", request.Q("created"));
        }

        [Fact]
        public async Task Runs_created_after_the_period_are_left_out()
        {
            await using var h = await CollectedAsync(h =>
            {
                var runs = JsonNode.Parse(Fixtures.Text("workflow-runs.json", ("owner", "contoso"), ("repo", "fraud-model")))!.AsObject();
                var later = runs["workflow_runs"]![0]!.DeepClone().AsObject();
                later["id"] = 30439999;
                later["created_at"] = "2025-04-03T08:00:00Z";
                later["conclusion"] = "failure";
                runs["workflow_runs"]!.AsArray().Insert(0, later);
                h.Fake.Get("repos/contoso/fraud-model/actions/workflows/161335/runs", runs.ToJsonString());
            });

            var workflow = (await h.ItemAsync("github.workflow-runs", Repo)).Facts["workflows"]![0]!;

            Assert.Equal(3, workflow["runs"]!.GetValue<int>());
            Assert.Equal(1, workflow["conclusions"]!["failure"]!.GetValue<int>());
        }

        [Fact]
        public async Task A_workflow_the_repository_lacks_is_recorded_as_not_found()
        {
            await using var h = await CollectedAsync(h => h.Settings["EvaluationWorkflows"] = "Model evaluation,fairness.yml");

            var item = await h.ItemAsync("github.workflow-runs", Repo);
            var missing = item.Facts["workflows"]!.AsArray().Single(w => w!["requested"]!.GetValue<string>() == "fairness.yml")!;

            Assert.False(missing["found"]!.GetValue<bool>());
            Assert.Equal(1, item.Facts["workflowsWithoutRuns"]!.GetValue<int>());
        }

        [Fact]
        public async Task Is_not_collected_without_configured_workflows()
        {
            await using var h = await CollectedAsync(h => h.Settings.Remove("EvaluationWorkflows"));

            Assert.DoesNotContain(await h.ItemsAsync(), i => i.Kind == "github.workflow-runs");
        }
    }

    public sealed class ReleasesAndEnvironments
    {
        [Fact]
        public async Task Records_releases_published_in_the_period_without_drafts()
        {
            await using var h = await CollectedAsync();

            var facts = (await h.ItemAsync("github.releases", Repo)).Facts;

            Assert.Equal(1, facts["releaseCount"]!.GetValue<int>());
            Assert.Equal("v1.4.0", facts["releases"]![0]!["tag"]!.GetValue<string>());
            Assert.Equal("2025-03-21T09:30:00Z", facts["latestPublishedAt"]!.GetValue<string>());
        }

        [Fact]
        public async Task Records_required_reviewers_and_deployments_in_the_period_per_environment()
        {
            await using var h = await CollectedAsync();

            var facts = (await h.ItemAsync("github.environments", Repo)).Facts;
            var production = facts["environments"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "production")!;

            Assert.Equal(2, facts["environmentCount"]!.GetValue<int>());
            Assert.Equal(1, facts["environmentsWithRequiredReviewers"]!.GetValue<int>());
            Assert.Equal(["octo-lead", "team:model-risk"], Strings(production["requiredReviewers"]));
            Assert.Equal(30, production["waitTimerMinutes"]!.GetValue<int>());
            Assert.False(production["canAdminsBypass"]!.GetValue<bool>());
            Assert.Equal(2, production["deploymentsInPeriod"]!.GetValue<int>());
            Assert.Equal("2025-03-22T10:00:00Z", production["lastDeploymentAt"]!.GetValue<string>());
        }

        [Fact]
        public async Task Each_deployment_through_a_reviewed_environment_carries_the_approval_of_the_run_that_deployed_it()
        {
            await using var h = await CollectedAsync();

            var facts = (await h.ItemAsync("github.environments", Repo)).Facts;
            var production = facts["environments"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "production")!;
            var deployments = production["deployments"]!.AsArray().ToDictionary(d => d!["id"]!.GetValue<long>(), d => d!);

            Assert.Equal("approved", deployments[801]["approval"]!.GetValue<string>());
            Assert.Equal(["octo-lead"], Strings(deployments[801]["approvers"]));
            Assert.Equal(30433642, deployments[801]["runId"]!.GetValue<long>());
            Assert.Equal("unknown", deployments[795]["approval"]!.GetValue<string>());
            Assert.Contains("no GitHub Actions run", deployments[795]["approvalNote"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(1, production["deploymentsApproved"]!.GetValue<int>());
            Assert.Equal(1, production["deploymentsApprovalUnknown"]!.GetValue<int>());
            Assert.Equal(2, facts["deploymentsThroughReviewedEnvironments"]!.GetValue<int>());
            Assert.Equal(1, facts["deploymentsWithoutRecordedApproval"]!.GetValue<int>());

            // Environments without required reviewers list their deployments but ask for no approvals.
            var staging = facts["environments"]!.AsArray().Single(e => e!["name"]!.GetValue<string>() == "staging")!;
            Assert.Null(staging["deploymentsApproved"]);
        }

        [Fact]
        public async Task A_deployment_whose_run_has_no_review_for_the_environment_has_no_approval()
        {
            await using var h = await CollectedAsync(h => h.Fake.Get("repos/contoso/fraud-model/actions/runs/30433642/approvals", "[]"));

            var production = (await h.ItemAsync("github.environments", Repo)).Facts["environments"]!.AsArray()
                .Single(e => e!["name"]!.GetValue<string>() == "production")!;
            var deployment = production["deployments"]!.AsArray().Single(d => d!["id"]!.GetValue<long>() == 801)!;
            Assert.Equal("none", deployment["approval"]!.GetValue<string>());
            Assert.Equal(1, production["deploymentsWithoutApproval"]!.GetValue<int>());
        }
    }

    public sealed class SecurityAlerts
    {
        [Fact]
        public async Task Counts_open_alerts_by_tool_and_severity()
        {
            await using var h = await CollectedAsync();

            var facts = (await h.ItemAsync("github.security-alerts", Repo)).Facts;

            Assert.Equal(4, facts["openAlerts"]!.GetValue<int>());
            Assert.Equal(2, facts["openCriticalOrHigh"]!.GetValue<int>());
            Assert.Equal(1, facts["dependabot"]!["bySeverity"]!["high"]!.GetValue<int>());
            Assert.Equal(1, facts["dependabot"]!["bySeverity"]!["medium"]!.GetValue<int>());
            Assert.Equal(1, facts["codeScanning"]!["bySeverity"]!["critical"]!.GetValue<int>());
            Assert.Equal(1, facts["secretScanning"]!["open"]!.GetValue<int>());
        }

        [Fact]
        public async Task A_disabled_or_forbidden_tool_is_a_fact_not_a_failure()
        {
            await using var h = await CollectedAsync(h =>
            {
                h.Fake.Get("repos/contoso/fraud-model/code-scanning/alerts", FakeResponse.Error(403, "Advanced Security must be enabled for this repository to use code scanning."));
                h.Fake.Get("repos/contoso/fraud-model/secret-scanning/alerts", FakeResponse.NotFound());
            });

            var facts = (await h.ItemAsync("github.security-alerts", Repo)).Facts;

            Assert.True(facts["dependabot"]!["available"]!.GetValue<bool>());
            Assert.False(facts["codeScanning"]!["available"]!.GetValue<bool>());
            Assert.False(facts["secretScanning"]!["available"]!.GetValue<bool>());
            Assert.Null(facts["codeScanning"]!["open"]);
            Assert.Equal(2, facts["openAlerts"]!.GetValue<int>());
            Assert.Empty(await h.ErrorsAsync(Repo));
        }

        [Fact]
        public async Task Asks_github_to_hide_secret_literals()
        {
            await using var h = await CollectedAsync();

            var request = Assert.Single(h.Fake.RequestsTo("repos/contoso/fraud-model/secret-scanning/alerts"));

            Assert.Equal("true", request.Q("hide_secret"));
        }
    }

    public sealed class Kinds
    {
        [Fact]
        public async Task Every_repository_kind_is_recorded_once_and_none_fails()
        {
            await using var h = await CollectedAsync();

            var kinds = (await h.ItemsAsync()).Select(i => i.Kind).Order(StringComparer.Ordinal).ToArray();

            Assert.Equal(
                [
                    "github.branch-protection", "github.codeowners", "github.environments", "github.pull-requests", "github.releases",
                    "github.repository", "github.security-alerts", "github.security-policy", "github.workflow-runs",
                ],
                kinds);
        }
    }
}
