using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Evidence;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.branch-protection</c>: the default branch's classic protection (404 = not protected, a fact) merged with
/// the ruleset rules that apply to it, plus a summary of the repository's rulesets.
/// </summary>
internal sealed class BranchProtectionReader(JsonRestClient client) : IRepositoryEvidenceReader
{
    public string Kind => EvidenceKinds.GitHubBranchProtection;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/branches/{scope.EscapedBranch}/protection";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        JsonObject? classic = null;
        string? notProtectedReason = null;
        try
        {
            classic = (await client.GetAsync($"{scope.Api}/branches/{scope.EscapedBranch}/protection", cancellationToken).ConfigureAwait(false)).ParseObject();
        }
        catch (SourceNotFoundException ex)
        {
            notProtectedReason = ex.Message;
        }

        // Active rules from rulesets at any level (repository, organization) that apply to the branch.
        var rules = new JsonArray();
        var rulesSupported = true;
        try
        {
            await foreach (var page in client.GetPagesAsync($"{scope.Api}/rules/branches/{scope.EscapedBranch}?per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var rule in GitHubJson.Objects(page.ParseArray()))
                {
                    rules.Add(rule.DeepClone());
                }
            }
        }
        catch (SourceNotFoundException)
        {
            // GitHub Enterprise Server releases before rulesets answer 404.
            rulesSupported = false;
        }

        var rulesets = new JsonArray();
        if (rulesSupported)
        {
            await foreach (var page in client.GetPagesAsync($"{scope.Api}/rulesets?includes_parents=true&per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var ruleset in GitHubJson.Objects(page.ParseArray()))
                {
                    rulesets.Add(ruleset.DeepClone());
                }
            }
        }

        var facts = Facts(scope.DefaultBranch, classic, rules, rulesets);
        var count = facts["requiredApprovingReviewCount"]!.GetValue<int>();
        var summary = facts["protected"]!.GetValue<bool>()
            ? $"{scope.Repository}: {scope.DefaultBranch} is protected; {count} approving review(s) required"
            : $"{scope.Repository}: {scope.DefaultBranch} is not protected";
        var raw = new JsonObject
        {
            ["branch"] = scope.DefaultBranch,
            ["protection"] = classic?.DeepClone(),
            ["notProtected"] = notProtectedReason,
            ["rules"] = rules.DeepClone(),
            ["rulesets"] = rulesets.DeepClone(),
        };
        return new GitHubObservation(Kind, Locator(scope), summary, facts, raw);
    }

    internal static JsonObject Facts(string branch, JsonObject? classic, JsonArray rules, JsonArray rulesets)
    {
        var reviews = GitHubJson.Object(classic, "required_pull_request_reviews");
        var approvals = (int)(GitHubJson.Long(reviews, "required_approving_review_count") ?? 0);
        var dismissStale = GitHubJson.Bool(reviews, "dismiss_stale_reviews") ?? false;
        var codeOwners = GitHubJson.Bool(reviews, "require_code_owner_reviews") ?? false;
        var lastPush = GitHubJson.Bool(reviews, "require_last_push_approval") ?? false;

        var statusChecks = new SortedSet<string>(StringComparer.Ordinal);
        var classicChecks = GitHubJson.Object(classic, "required_status_checks");
        var strict = GitHubJson.Bool(classicChecks, "strict") ?? false;
        foreach (var context in GitHubJson.Array(classicChecks, "contexts")?.OfType<JsonValue>() ?? [])
        {
            if (context.TryGetValue<string>(out var c))
            {
                statusChecks.Add(c);
            }
        }

        foreach (var check in GitHubJson.Objects(GitHubJson.Array(classicChecks, "checks")))
        {
            if (GitHubJson.String(check, "context") is { } c)
            {
                statusChecks.Add(c);
            }
        }

        var ruleTypes = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var rule in GitHubJson.Objects(rules))
        {
            var type = GitHubJson.String(rule, "type") ?? "";
            ruleTypes.Add(type);
            var parameters = GitHubJson.Object(rule, "parameters");
            switch (type)
            {
                case "pull_request":
                    approvals = Math.Max(approvals, (int)(GitHubJson.Long(parameters, "required_approving_review_count") ?? 0));
                    dismissStale |= GitHubJson.Bool(parameters, "dismiss_stale_reviews_on_push") ?? false;
                    codeOwners |= GitHubJson.Bool(parameters, "require_code_owner_review") ?? false;
                    lastPush |= GitHubJson.Bool(parameters, "require_last_push_approval") ?? false;
                    break;
                case "required_status_checks":
                    strict |= GitHubJson.Bool(parameters, "strict_required_status_checks_policy") ?? false;
                    foreach (var check in GitHubJson.Objects(GitHubJson.Array(parameters, "required_status_checks")))
                    {
                        if (GitHubJson.String(check, "context") is { } c)
                        {
                            statusChecks.Add(c);
                        }
                    }

                    break;
            }
        }

        bool Enabled(string name) => GitHubJson.Bool(GitHubJson.Object(classic, name), "enabled") ?? false;
        var summaries = new JsonArray();
        foreach (var ruleset in GitHubJson.Objects(rulesets).OrderBy(r => GitHubJson.Long(r, "id") ?? 0))
        {
            summaries.Add(new JsonObject
            {
                ["id"] = GitHubJson.Long(ruleset, "id"),
                ["name"] = GitHubJson.String(ruleset, "name"),
                ["target"] = GitHubJson.String(ruleset, "target"),
                ["enforcement"] = GitHubJson.String(ruleset, "enforcement"),
                ["source"] = GitHubJson.String(ruleset, "source"),
                ["sourceType"] = GitHubJson.String(ruleset, "source_type"),
            });
        }

        return new JsonObject
        {
            ["branch"] = branch,
            ["protected"] = classic is not null || ruleTypes.Count > 0,
            ["classicProtection"] = classic is not null,
            ["requiredApprovingReviewCount"] = approvals,
            ["dismissStaleReviews"] = dismissStale,
            ["requireCodeOwnerReviews"] = codeOwners,
            ["requireLastPushApproval"] = lastPush,
            ["requiredStatusChecks"] = GitHubJson.Strings(statusChecks),
            ["strictStatusChecks"] = strict,
            ["enforceAdmins"] = Enabled("enforce_admins"),
            ["requiredLinearHistory"] = Enabled("required_linear_history") || ruleTypes.Contains("required_linear_history"),
            ["requiredSignatures"] = Enabled("required_signatures") || ruleTypes.Contains("required_signatures"),
            ["forcePushesBlocked"] = (classic is not null && !Enabled("allow_force_pushes")) || ruleTypes.Contains("non_fast_forward"),
            ["deletionsBlocked"] = (classic is not null && !Enabled("allow_deletions")) || ruleTypes.Contains("deletion"),
            ["ruleTypes"] = GitHubJson.Strings(ruleTypes),
            ["rulesets"] = summaries,
        };
    }
}
