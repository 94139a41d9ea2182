using System.Text.Json.Nodes;

namespace Aims.Collectors.Tests.GitHub;

/// <summary>Registers a complete repository on the fake: every endpoint the collector reads, from the fixtures.</summary>
internal static class FakeRepositories
{
    public static readonly IReadOnlyDictionary<int, string> MergedBy = new Dictionary<int, string>
    {
        [14] = "alice", [12] = "bob", [11] = "carol", [9] = "alice", [6] = "bob", [5] = "bob",
    };

    public static void AddRepository(this FakeGitHub fake, string owner, string repo, int pullPageSize = 100)
    {
        (string, string)[] v = [("owner", owner), ("repo", repo)];
        var api = $"repos/{owner}/{repo}";
        fake.Get(api, Fixtures.Text("repository.json", v));
        fake.Get($"{api}/branches/main/protection", Fixtures.Text("branch-protection.json", v));
        fake.Paged($"{api}/rules/branches/main", (JsonArray)Fixtures.Json("rules-branch.json", v), 100);
        fake.Paged($"{api}/rulesets", (JsonArray)Fixtures.Json("rulesets.json", v), 100);

        var pulls = (JsonArray)Fixtures.Json("pulls.json", v);
        fake.Paged($"{api}/pulls", pulls, pullPageSize);
        var reviews = (JsonObject)Fixtures.Json("reviews-by-pull.json", v);
        foreach (var pull in pulls.OfType<JsonObject>())
        {
            var number = pull["number"]!.GetValue<int>();
            var detail = (JsonObject)pull.DeepClone();
            var merged = pull["merged_at"] is not null;
            detail["merged"] = merged;
            detail["merged_by"] = merged ? new JsonObject { ["login"] = MergedBy[number], ["id"] = 6000 + number, ["type"] = "User" } : null;
            fake.Get($"{api}/pulls/{number}", FakeResponse.Ok(detail));
            fake.Paged($"{api}/pulls/{number}/reviews", (JsonArray?)reviews[number.ToString(System.Globalization.CultureInfo.InvariantCulture)]?.DeepClone() ?? [], 100);
        }

        fake.Get($"{api}/codeowners/errors", Fixtures.Text("codeowners-errors.json", v));
        fake.Get($"{api}/contents/.github/SECURITY.md", Fixtures.Text("security-md.json", v));
        fake.Get($"{api}/private-vulnerability-reporting", Fixtures.Text("private-vulnerability-reporting.json", v));
        fake.Get($"{api}/actions/workflows", Fixtures.Text("workflows.json", v));
        fake.Get($"{api}/actions/workflows/161335/runs", Fixtures.Text("workflow-runs.json", v));
        fake.Paged($"{api}/releases", (JsonArray)Fixtures.Json("releases.json", v), 100);
        fake.Get($"{api}/environments", Fixtures.Text("environments.json", v));
        var deployments = Fixtures.Text("deployments-production.json", v);
        fake.Get($"{api}/deployments", request => FakeResponse.Ok(request.Q("environment") == "production" ? deployments : "[]"));
        fake.Get($"{api}/deployments/801/statuses", Fixtures.Text("deployment-statuses-801.json", v));
        fake.Get($"{api}/deployments/795/statuses", Fixtures.Text("deployment-statuses-795.json", v));
        fake.Get($"{api}/actions/runs/30433642/approvals", Fixtures.Text("run-approvals.json", v));
        fake.Paged($"{api}/dependabot/alerts", (JsonArray)Fixtures.Json("dependabot-alerts.json", v), 100);
        fake.Paged($"{api}/code-scanning/alerts", (JsonArray)Fixtures.Json("code-scanning-alerts.json", v), 100);
        fake.Paged($"{api}/secret-scanning/alerts", (JsonArray)Fixtures.Json("secret-scanning-alerts.json", v), 100);
    }

    /// <summary>
    /// A governance repository with three policies: one changed through an independently approved pull request, one
    /// pushed directly, one whose pull request only its author approved.
    /// </summary>
    public static void AddGovernanceRepository(this FakeGitHub fake, string owner, string repo)
    {
        (string, string)[] v = [("owner", owner), ("repo", repo)];
        var api = $"repos/{owner}/{repo}";
        fake.Get(api, Fixtures.Text("repository.json", v));
        fake.Get($"{api}/contents/policies", Fixtures.Text("contents-policies.json", v));
        fake.Get($"{api}/contents/policies/annex", Fixtures.Text("contents-policies-annex.json", v));

        var changes = new Dictionary<string, (string Sha, string Login, string Date, int? Pull, string? PullAuthor)>
        {
            ["policies/ai-policy.md"] = ("aa11bb22cc33dd44ee55ff66aa77bb88cc99dd00", "gina", "2025-02-03T10:00:00Z", 31, "gina"),
            ["policies/risk-policy.md"] = ("bb22cc33dd44ee55ff66aa77bb88cc99dd00ee11", "hank", "2025-02-10T10:00:00Z", null, null),
            ["policies/annex/impact-assessment.md"] = ("cc33dd44ee55ff66aa77bb88cc99dd00ee11ff22", "ivan", "2025-03-01T10:00:00Z", 33, "ivan"),
        };
        fake.Get($"{api}/commits", request =>
        {
            if (request.Q("path") is not { } path || !changes.TryGetValue(path, out var change))
            {
                return FakeResponse.Ok("[]");
            }

            var commit = Fixtures.Text("commit.json", [.. v, ("sha", change.Sha), ("login", change.Login), ("date", change.Date), ("message", $"Update {path}")]);
            return FakeResponse.Ok($"[{commit}]");
        });
        foreach (var (_, change) in changes)
        {
            var pulls = change.Pull is { } number
                ? $"[{Fixtures.Text("commit-pull.json", [.. v, ("number", number.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("title", "Policy update"), ("author", change.PullAuthor!), ("sha", change.Sha), ("mergedAt", change.Date)])}]"
                : "[]";
            fake.Get($"{api}/commits/{change.Sha}/pulls", pulls);
        }

        fake.Get($"{api}/pulls/31/reviews", $"[{Review(1, "jane", "APPROVED", "2025-02-03T09:00:00Z")}]");
        fake.Get($"{api}/pulls/33/reviews", $"[{Review(2, "ivan", "APPROVED", "2025-03-01T09:00:00Z")}]");
    }

    private static string Review(long id, string login, string state, string at) => new JsonObject
    {
        ["id"] = id,
        ["user"] = new JsonObject { ["login"] = login, ["id"] = 5400 + id, ["type"] = "User" },
        ["body"] = "",
        ["state"] = state,
        ["submitted_at"] = at,
        ["commit_id"] = "5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b",
        ["author_association"] = "MEMBER",
    }.ToJsonString();
}
