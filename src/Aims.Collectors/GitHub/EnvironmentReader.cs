using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.environments</c>: deployment environments with their protection rules (required reviewers, wait timer,
/// branch policy) and the deployments made through each in the period. For an environment with required reviewers,
/// each deployment's approval comes from the review history of the workflow run that deployed it (the run named in the
/// deployment's statuses): approved (by whom), rejected, none, or unknown when no run can be found. No environments
/// (or a 404 where the plan has none) is a fact.
/// </summary>
internal sealed partial class EnvironmentReader(JsonRestClient client) : IRepositoryEvidenceReader
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string NoApproval = "none";
    public const string Unknown = "unknown";

    public const string KindName = "github.environments";

    public string Kind => KindName;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/environments";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        var environments = new List<JsonObject>();
        try
        {
            await foreach (var page in client.GetPagesAsync($"{scope.Api}/environments?per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                environments.AddRange(GitHubJson.Objects(page.ParseArrayProperty("environments")).Select(e => (JsonObject)e.DeepClone()));
            }
        }
        catch (SourceNotFoundException)
        {
            // No environments feature for this repository: nothing to list.
        }

        var entries = new JsonArray();
        var raw = new JsonArray();
        var withReviewers = 0;
        var reviewedDeployments = 0;
        var unapproved = 0;
        foreach (var environment in environments.OrderBy(e => GitHubJson.String(e, "name"), StringComparer.Ordinal))
        {
            var name = GitHubJson.String(environment, "name") ?? "";
            var reviewers = new SortedSet<string>(StringComparer.Ordinal);
            long? waitTimer = null;
            var branchPolicy = false;
            foreach (var rule in GitHubJson.Objects(GitHubJson.Array(environment, "protection_rules")))
            {
                switch (GitHubJson.String(rule, "type"))
                {
                    case "required_reviewers":
                        foreach (var entry in GitHubJson.Objects(GitHubJson.Array(rule, "reviewers")))
                        {
                            var reviewer = GitHubJson.Object(entry, "reviewer");
                            var type = GitHubJson.String(entry, "type");
                            var id = type == "Team" ? GitHubJson.String(reviewer, "slug") : GitHubJson.String(reviewer, "login");
                            if (id is not null)
                            {
                                reviewers.Add(type == "Team" ? $"team:{id}" : id);
                            }
                        }

                        break;
                    case "wait_timer":
                        waitTimer = GitHubJson.Long(rule, "wait_timer");
                        break;
                    case "branch_policy":
                        branchPolicy = true;
                        break;
                }
            }

            if (reviewers.Count > 0)
            {
                withReviewers++;
            }

            var deployments = await DeploymentsAsync(scope, name, cancellationToken).ConfigureAwait(false);
            var described = new JsonObject
            {
                ["name"] = name,
                ["requiredReviewers"] = GitHubJson.Strings(reviewers),
                ["requiredReviewerCount"] = reviewers.Count,
                ["waitTimerMinutes"] = waitTimer,
                ["branchPolicy"] = branchPolicy || GitHubJson.Object(environment, "deployment_branch_policy") is not null,
                ["canAdminsBypass"] = GitHubJson.Bool(environment, "can_admins_bypass") ?? true,
                ["deploymentsInPeriod"] = deployments.Count,
                ["lastDeploymentAt"] = GitHubJson.Timestamp(deployments.Select(d => GitHubJson.Date(d, "created_at")).Max()),
            };
            if (reviewers.Count > 0)
            {
                foreach (var deployment in deployments)
                {
                    await AddApprovalAsync(scope, name, deployment, cancellationToken).ConfigureAwait(false);
                }

                described["deploymentsApproved"] = deployments.Count(d => GitHubJson.String(d, "approval") == Approved);
                described["deploymentsWithoutApproval"] = deployments.Count(d => GitHubJson.String(d, "approval") is NoApproval or Rejected);
                described["deploymentsApprovalUnknown"] = deployments.Count(d => GitHubJson.String(d, "approval") == Unknown);
                reviewedDeployments += deployments.Count;
                unapproved += deployments.Count(d => GitHubJson.String(d, "approval") != Approved);
            }

            described["deployments"] = new JsonArray(deployments.Select(d => (JsonNode)d.DeepClone()).ToArray());
            entries.Add(described);
            raw.Add(new JsonObject { ["environment"] = environment, ["deployments"] = new JsonArray(deployments.Select(d => (JsonNode)d.DeepClone()).ToArray()) });
        }

        var facts = new JsonObject
        {
            ["environmentCount"] = entries.Count,
            ["environmentsWithRequiredReviewers"] = withReviewers,
            ["deploymentsThroughReviewedEnvironments"] = reviewedDeployments,
            ["deploymentsWithoutRecordedApproval"] = unapproved,
            ["environments"] = entries,
        };
        var summary = $"{scope.Repository}: {entries.Count} environment(s), {withReviewers} with required reviewers; "
            + $"{reviewedDeployments} deployment(s) through them in the period, {unapproved} without a recorded approval";
        return new GitHubObservation(Kind, Locator(scope), summary, facts, new JsonObject { ["environments"] = raw }, Period: scope.Period);
    }

    // Deployments come newest first; stop at the first one created before the period.
    private async Task<List<JsonObject>> DeploymentsAsync(RepositoryScope scope, string environment, CancellationToken cancellationToken)
    {
        var deployments = new List<JsonObject>();
        await foreach (var page in client.GetPagesAsync($"{scope.Api}/deployments?environment={Uri.EscapeDataString(environment)}&per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var deployment in GitHubJson.Objects(page.ParseArray()))
            {
                var created = GitHubJson.Date(deployment, "created_at");
                if (created < scope.Period.From)
                {
                    return deployments;
                }

                if (created is { } c && c < scope.Period.To)
                {
                    deployments.Add(new JsonObject
                    {
                        ["id"] = GitHubJson.Long(deployment, "id"),
                        ["ref"] = GitHubJson.String(deployment, "ref"),
                        ["sha"] = GitHubJson.String(deployment, "sha"),
                        ["creator"] = GitHubJson.Login(deployment, "creator"),
                        ["created_at"] = GitHubJson.String(deployment, "created_at"),
                    });
                }
            }
        }

        return deployments;
    }

    /// <summary>
    /// Adds <c>approval</c> (and <c>approvers</c>, <c>runId</c>, or <c>approvalNote</c>) to a deployment: the workflow run is
    /// the first run link among its statuses; the run's review history says who approved or rejected it for this environment.
    /// </summary>
    private async Task AddApprovalAsync(RepositoryScope scope, string environment, JsonObject deployment, CancellationToken cancellationToken)
    {
        if (GitHubJson.Long(deployment, "id") is not { } id)
        {
            deployment["approval"] = Unknown;
            deployment["approvalNote"] = "the deployment has no id";
            return;
        }

        long? runId = null;
        try
        {
            await foreach (var page in client.GetPagesAsync($"{scope.Api}/deployments/{id.ToString(CultureInfo.InvariantCulture)}/statuses?per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var status in GitHubJson.Objects(page.ParseArray()))
                {
                    runId ??= RunIdOf(GitHubJson.String(status, "log_url")) ?? RunIdOf(GitHubJson.String(status, "target_url"));
                }
            }
        }
        catch (SourceNotFoundException)
        {
            // Deleted since it was listed: nothing to tell.
        }

        if (runId is not { } run)
        {
            deployment["approval"] = Unknown;
            deployment["approvalNote"] = "no GitHub Actions run among the deployment's statuses (deployed by another tool?)";
            return;
        }

        deployment["runId"] = run;
        JsonArray reviews;
        try
        {
            reviews = (await client.GetAsync($"{scope.Api}/actions/runs/{run.ToString(CultureInfo.InvariantCulture)}/approvals", cancellationToken).ConfigureAwait(false)).ParseArray();
        }
        catch (SourceNotFoundException)
        {
            deployment["approval"] = Unknown;
            deployment["approvalNote"] = $"workflow run {run} is gone (deleted, or past the log retention)";
            return;
        }

        var forEnvironment = GitHubJson.Objects(reviews)
            .Where(r => GitHubJson.Objects(GitHubJson.Array(r, "environments")).Any(e => string.Equals(GitHubJson.String(e, "name"), environment, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var approvers = new SortedSet<string>(
            forEnvironment.Where(r => GitHubJson.String(r, "state") == Approved).Select(r => GitHubJson.Login(r, "user")).OfType<string>(),
            StringComparer.Ordinal);
        deployment["approval"] = approvers.Count > 0 ? Approved : forEnvironment.Any(r => GitHubJson.String(r, "state") == Rejected) ? Rejected : NoApproval;
        deployment["approvers"] = GitHubJson.Strings(approvers);
    }

    private static long? RunIdOf(string? url) =>
        url is not null && RunLink().Match(url) is { Success: true } m && long.TryParse(m.Groups[1].ValueSpan, CultureInfo.InvariantCulture, out var id) ? id : null;

    [GeneratedRegex(@"/actions/runs/(\d+)(?:/|$|\?)", RegexOptions.CultureInvariant)]
    private static partial Regex RunLink();
}
