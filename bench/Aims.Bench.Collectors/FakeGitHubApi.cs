using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Testing;

namespace Aims.Bench.Collectors;

/// <summary>
/// A fake GitHub REST API for one organization of <c>repos</c> repositories, each with <c>pulls</c> merged pull requests in
/// the period and every other endpoint the collector reads, answered from the collector tests' fixtures (shaped like GitHub's
/// documented examples). Every 200 carries a weak ETag of its body; a matching <c>If-None-Match</c> gets a 304, as GitHub does.
/// Bodies are computed per request; the fake keeps only the ETag it last sent per URL, so that a conditional request that
/// still matches is answered 304 without building the body again (GitHub's answer costs the collector's machine nothing,
/// and building a pull request listing here cost more CPU than the collector's own handling of the 304).
/// </summary>
internal sealed class FakeGitHubApi : IAsyncDisposable
{
    public const string Organization = "contoso";
    private readonly Dictionary<string, string> _fixtures;
    private readonly JsonObject _pullTemplate;
    private readonly int _repos;
    private readonly int _pulls;
    private readonly DateTimeOffset _firstMerge;
    private readonly ConcurrentDictionary<int, int> _extraPulls = new();

    // Per repository index (-1: the organization), the endpoint and ETag last sent for each path and query.
    private readonly ConcurrentDictionary<int, ConcurrentDictionary<string, (string Endpoint, string ETag)>> _sent = new();
    private LocalHttpServer _server = null!;

    private FakeGitHubApi(int repos, int pulls, DateTimeOffset firstMerge)
    {
        _repos = repos;
        _pulls = pulls;
        _firstMerge = firstMerge;
        var folder = Path.Combine(AppContext.BaseDirectory, "Fixtures", "GitHub");
        _fixtures = Directory.GetFiles(folder, "*.json").ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        _pullTemplate = JsonNode.Parse(_fixtures["pulls.json"])!.AsArray()[0]!.AsObject();
    }

    public RequestTally Tally { get; } = new();

    public Uri BaseUri => _server.BaseUri;

    public static async Task<FakeGitHubApi> StartAsync(int repos, int pulls, DateTimeOffset firstMerge)
    {
        var fake = new FakeGitHubApi(repos, pulls, firstMerge);
        fake._server = await LocalHttpServer.StartAsync(fake.HandleAsync);
        return fake;
    }

    public static string RepositoryName(int index) => $"model-{index.ToString("D4", CultureInfo.InvariantCulture)}";

    /// <summary>Merges one more pull request in repository <paramref name="index"/> (the "something changed" run).</summary>
    public void MergeAnother(int index)
    {
        _extraPulls.AddOrUpdate(index, 1, (_, n) => n + 1);
        _sent.TryRemove(index, out _);
    }

    private async Task HandleAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            await AnswerAsync(context);
        }
        finally
        {
            Tally.AddServerTime(Stopwatch.GetElapsedTime(started));
        }
    }

    private async Task AnswerAsync(HttpContext context)
    {
        var path = context.Request.Path.Value!.Trim('/');
        var url = path + context.Request.QueryString.Value;
        var sent = _sent.GetOrAdd(RepositoryIndex(path), _ => new(StringComparer.Ordinal));
        var ifNoneMatch = context.Request.Headers.IfNoneMatch.ToString();
        if (ifNoneMatch.Length > 0 && sent.TryGetValue(url, out var last) && last.ETag == ifNoneMatch)
        {
            Tally.Add(last.Endpoint, 304);
            context.Response.Headers.ETag = last.ETag;
            context.Response.StatusCode = 304;
            return;
        }

        var (endpoint, status, body, link) = Route(path, context.Request.Query);
        if (status == 200)
        {
            var etag = "W/\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(body)), 0, 16) + "\"";
            sent[url] = (endpoint, etag);
            context.Response.Headers.ETag = etag;
            if (context.Request.Headers.IfNoneMatch.ToString() == etag)
            {
                Tally.Add(endpoint, 304);
                context.Response.StatusCode = 304;
                return;
            }

            if (link is not null)
            {
                context.Response.Headers["Link"] = link;
            }
        }

        Tally.Add(endpoint, status);
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body);
    }

    private static int RepositoryIndex(string path) =>
        path.Split('/') is ["repos", Organization, var repo, ..] && repo.StartsWith("model-", StringComparison.Ordinal)
        && int.TryParse(repo.AsSpan("model-".Length), CultureInfo.InvariantCulture, out var index)
            ? index
            : -1;

    private (string Endpoint, int Status, string Body, string? Link) Route(string path, IQueryCollection query)
    {
        var parts = path.Split('/');
        if (parts is ["orgs", Organization, "repos"])
        {
            var page = int.TryParse(query["page"], CultureInfo.InvariantCulture, out var p) ? p : 1;
            var first = (page - 1) * 100;
            var repos = new JsonArray();
            for (var i = first; i < Math.Min(first + 100, _repos); i++)
            {
                repos.Add(new JsonObject
                {
                    ["id"] = 700000 + i,
                    ["name"] = RepositoryName(i),
                    ["full_name"] = $"{Organization}/{RepositoryName(i)}",
                    ["private"] = true,
                    ["default_branch"] = "main",
                    ["archived"] = false,
                    ["topics"] = new JsonArray("ai-system", "ml"),
                });
            }

            var link = first + 100 < _repos
                ? $"<{BaseUri}orgs/{Organization}/repos?type=all&per_page=100&page={page + 1}>; rel=\"next\", <{BaseUri}orgs/{Organization}/repos?type=all&per_page=100&page={(_repos + 99) / 100}>; rel=\"last\""
                : null;
            return ("orgs/{org}/repos", 200, repos.ToJsonString(), link);
        }

        if (parts.Length < 3 || parts[0] != "repos" || parts[1] != Organization || !parts[2].StartsWith("model-", StringComparison.Ordinal)
            || !int.TryParse(parts[2].AsSpan("model-".Length), CultureInfo.InvariantCulture, out var index) || index >= _repos)
        {
            return ("(other)", 404, NotFound, null);
        }

        var repo = parts[2];
        var rest = string.Join('/', parts.Skip(3));
        string F(string file) => _fixtures[file].Replace("{{owner}}", Organization, StringComparison.Ordinal).Replace("{{repo}}", repo, StringComparison.Ordinal);
        return rest switch
        {
            "" => ("repos/{r}", 200, F("repository.json"), null),
            "branches/main/protection" => ("branches/{b}/protection", 200, F("branch-protection.json"), null),
            "rules/branches/main" => ("rules/branches/{b}", 200, F("rules-branch.json"), null),
            "rulesets" => ("rulesets", 200, F("rulesets.json"), null),
            "pulls" => ("pulls", 200, PullList(index, repo), null),
            _ when parts.Length == 5 && parts[3] == "pulls" => ("pulls/{n}", 200, Pull(index, repo, int.Parse(parts[4], CultureInfo.InvariantCulture)).ToJsonString(), null),
            _ when parts.Length == 6 && parts[3] == "pulls" && parts[5] == "reviews" => ("pulls/{n}/reviews", 200, Reviews(repo, int.Parse(parts[4], CultureInfo.InvariantCulture)), null),
            "codeowners/errors" => ("codeowners/errors", 200, F("codeowners-errors.json"), null),

            // Half the repositories keep SECURITY.md at the root, half under .github/ (a 404 first, as on GitHub).
            "contents/SECURITY.md" => index % 2 == 0 ? ("contents/SECURITY.md", 200, F("security-md.json"), null) : ("contents/SECURITY.md", 404, NotFound, null),
            "contents/.github/SECURITY.md" => ("contents/.github/SECURITY.md", 200, F("security-md.json"), null),
            "private-vulnerability-reporting" => ("private-vulnerability-reporting", 200, F("private-vulnerability-reporting.json"), null),
            "actions/workflows" => ("actions/workflows", 200, F("workflows.json"), null),
            "actions/workflows/161335/runs" => ("actions/workflows/{id}/runs", 200, F("workflow-runs.json"), null),
            "releases" => ("releases", 200, F("releases.json"), null),
            "environments" => ("environments", 200, F("environments.json"), null),
            "deployments" => ("deployments", 200, query["environment"] == "production" ? Deployments(index, repo) : "[]", null),
            _ when parts.Length == 6 && parts[3] == "deployments" && parts[5] == "statuses" =>
                ("deployments/{id}/statuses", 200, F("deployment-statuses-801.json").Replace("/deployments/801", $"/deployments/{parts[4]}", StringComparison.Ordinal).Replace("30433642", RunOf(parts[4]), StringComparison.Ordinal), null),
            _ when parts.Length == 7 && parts[3] == "actions" && parts[4] == "runs" && parts[6] == "approvals" => ("actions/runs/{id}/approvals", 200, F("run-approvals.json"), null),
            "dependabot/alerts" => ("dependabot/alerts", 200, F("dependabot-alerts.json"), null),
            "code-scanning/alerts" => ("code-scanning/alerts", 200, F("code-scanning-alerts.json"), null),
            "secret-scanning/alerts" => ("secret-scanning/alerts", 200, F("secret-scanning-alerts.json"), null),
            _ => ("(other)", 404, NotFound, null),
        };
    }

    // Two production deployments in the period, made by Actions runs and approved by the environment's reviewer.
    private string Deployments(int index, string repo)
    {
        var template = JsonNode.Parse(_fixtures["deployments-production.json"].Replace("{{owner}}", Organization, StringComparison.Ordinal).Replace("{{repo}}", repo, StringComparison.Ordinal))!.AsArray()[0]!;
        var deployments = new JsonArray();
        for (var n = 2; n >= 1; n--)
        {
            var deployment = template.DeepClone().AsObject();
            var id = (index * 10L) + n;
            deployment["id"] = id;
            deployment["url"] = $"https://api.github.com/repos/{Organization}/{repo}/deployments/{id}";
            deployment["statuses_url"] = $"https://api.github.com/repos/{Organization}/{repo}/deployments/{id}/statuses";
            deployment["created_at"] = Stamp(_firstMerge.AddDays(100 * n));
            deployment["updated_at"] = Stamp(_firstMerge.AddDays(100 * n).AddMinutes(12));
            deployments.Add(deployment);
        }

        return deployments.ToJsonString();
    }

    private static string RunOf(string deploymentId) => (30_000_000L + long.Parse(deploymentId, CultureInfo.InvariantCulture)).ToString(CultureInfo.InvariantCulture);

    private int PullCount(int index) => _pulls + _extraPulls.GetValueOrDefault(index);

    // Closed pull requests, most recently updated first, as ?state=closed&sort=updated&direction=desc lists them.
    private string PullList(int index, string repo)
    {
        var pulls = new JsonArray();
        for (var number = PullCount(index); number >= 1 && pulls.Count < 100; number--)
        {
            pulls.Add(Pull(index, repo, number));
        }

        return pulls.ToJsonString();
    }

    private JsonObject Pull(int index, string repo, int number)
    {
        var merged = MergedAt(number);
        var text = _pullTemplate.ToJsonString()
            .Replace("{{owner}}", Organization, StringComparison.Ordinal)
            .Replace("{{repo}}", repo, StringComparison.Ordinal)
            .Replace("/pulls/14", $"/pulls/{number}", StringComparison.Ordinal)
            .Replace("/pull/14", $"/pull/{number}", StringComparison.Ordinal);
        var pull = JsonNode.Parse(text)!.AsObject();
        pull["id"] = (index * 1000L) + number;
        pull["number"] = number;
        pull["title"] = $"Change {number} to {repo}";
        pull["created_at"] = Stamp(merged.AddDays(-1));
        pull["merged_at"] = Stamp(merged);
        pull["closed_at"] = Stamp(merged);
        pull["updated_at"] = Stamp(merged.AddHours(1));
        pull["merged"] = true;
        pull["merged_by"] = new JsonObject { ["login"] = "bob", ["id"] = 5002, ["type"] = "User" };
        return pull;
    }

    private string Reviews(string repo, int number) => new JsonArray(new JsonObject
    {
        ["id"] = number,
        ["user"] = new JsonObject { ["login"] = "bob", ["id"] = 5002, ["type"] = "User", ["site_admin"] = false },
        ["body"] = "",
        ["state"] = "APPROVED",
        ["html_url"] = $"https://github.com/{Organization}/{repo}/pull/{number}#pullrequestreview-{number}",
        ["submitted_at"] = Stamp(MergedAt(number).AddHours(-2)),
        ["commit_id"] = "a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0",
        ["author_association"] = "MEMBER",
    }).ToJsonString();

    // Spread over the period: pull request n merged n × 4 days (and n hours) after the first.
    private DateTimeOffset MergedAt(int number) => _firstMerge.AddDays(number * 4 % 300).AddHours(number % 24);

    private static string Stamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private const string NotFound = "{\"message\":\"Not Found\",\"documentation_url\":\"https://docs.github.com/rest\",\"status\":\"404\"}";

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();
}
