using System.Text.Json.Nodes;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.environments</c>: deployment environments with their protection rules (required reviewers, wait timer,
/// branch policy) and the deployments made through each in the period. No environments (or a 404 where the plan
/// has none) is a fact.
/// </summary>
internal sealed class EnvironmentReader(JsonRestClient client) : IRepositoryEvidenceReader
{
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

            var (count, last, deployments) = await DeploymentsAsync(scope, name, cancellationToken).ConfigureAwait(false);
            entries.Add(new JsonObject
            {
                ["name"] = name,
                ["requiredReviewers"] = GitHubJson.Strings(reviewers),
                ["requiredReviewerCount"] = reviewers.Count,
                ["waitTimerMinutes"] = waitTimer,
                ["branchPolicy"] = branchPolicy || GitHubJson.Object(environment, "deployment_branch_policy") is not null,
                ["canAdminsBypass"] = GitHubJson.Bool(environment, "can_admins_bypass") ?? true,
                ["deploymentsInPeriod"] = count,
                ["lastDeploymentAt"] = GitHubJson.Timestamp(last),
            });
            raw.Add(new JsonObject { ["environment"] = environment, ["deployments"] = deployments });
        }

        var facts = new JsonObject
        {
            ["environmentCount"] = entries.Count,
            ["environmentsWithRequiredReviewers"] = withReviewers,
            ["environments"] = entries,
        };
        var summary = $"{scope.Repository}: {entries.Count} environment(s), {withReviewers} with required reviewers";
        return new GitHubObservation(Kind, Locator(scope), summary, facts, new JsonObject { ["environments"] = raw }, Period: scope.Period);
    }

    // Deployments come newest first; stop at the first one created before the period.
    private async Task<(int Count, DateTimeOffset? Last, JsonArray Raw)> DeploymentsAsync(RepositoryScope scope, string environment, CancellationToken cancellationToken)
    {
        var count = 0;
        DateTimeOffset? last = null;
        var raw = new JsonArray();
        await foreach (var page in client.GetPagesAsync($"{scope.Api}/deployments?environment={Uri.EscapeDataString(environment)}&per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var deployment in GitHubJson.Objects(page.ParseArray()))
            {
                var created = GitHubJson.Date(deployment, "created_at");
                if (created < scope.Period.From)
                {
                    return (count, last, raw);
                }

                if (created is { } c && c < scope.Period.To)
                {
                    count++;
                    last = last is null || c > last ? c : last;
                    raw.Add(new JsonObject
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

        return (count, last, raw);
    }
}
