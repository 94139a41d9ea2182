using System.Text.Json.Nodes;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.policy-reviews</c> for the governance repository: for each policy file under the configured paths, the
/// last commit that touched it, the pull request that merged that commit, and that pull request's independent
/// approvers. A change with no merged pull request, or one nobody but its author approved, is an unapproved change.
/// </summary>
internal sealed class PolicyReviewReader(JsonRestClient client, IReadOnlyList<string> policyPaths) : IRepositoryEvidenceReader
{
    public const string KindName = "github.policy-reviews";
    private const int MaxDepth = 5;

    public string Kind => KindName;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/contents/{policyPaths[0]}";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var path in policyPaths)
        {
            try
            {
                await CollectFilesAsync(scope, path, 0, files, cancellationToken).ConfigureAwait(false);
            }
            catch (SourceNotFoundException)
            {
                missing.Add(path);
            }
        }

        var policies = new JsonArray();
        var raw = new JsonArray();
        var unapproved = 0;
        foreach (var file in files)
        {
            var (entry, evidence) = await ReviewOfLastChangeAsync(scope, file, cancellationToken).ConfigureAwait(false);
            if (entry["approved"]!.GetValue<bool>() is false)
            {
                unapproved++;
            }

            policies.Add(entry);
            raw.Add(evidence);
        }

        var facts = new JsonObject
        {
            ["policyCount"] = policies.Count,
            ["unapprovedChanges"] = unapproved,
            ["missingPaths"] = GitHubJson.Strings(missing),
            ["policies"] = policies,
        };
        var summary = $"{scope.Repository}: {policies.Count} policy document(s); {unapproved} last changed without independent approval"
            + (missing.Count > 0 ? $"; {missing.Count} configured path(s) not found" : "");
        return new GitHubObservation(Kind, Locator(scope), summary, facts, new JsonObject { ["policies"] = raw });
    }

    private async Task CollectFilesAsync(RepositoryScope scope, string path, int depth, SortedSet<string> files, CancellationToken cancellationToken)
    {
        var node = (await client.GetAsync($"{scope.Api}/contents/{EscapePath(path)}?ref={scope.EscapedBranch}", cancellationToken).ConfigureAwait(false)).ParseJson();
        if (node is JsonObject single)
        {
            if (GitHubJson.String(single, "type") == "file")
            {
                files.Add(GitHubJson.String(single, "path") ?? path);
            }

            return;
        }

        foreach (var entry in GitHubJson.Objects(node as JsonArray))
        {
            var entryPath = GitHubJson.String(entry, "path");
            switch (GitHubJson.String(entry, "type"))
            {
                case "file" when entryPath is not null:
                    files.Add(entryPath);
                    break;
                case "dir" when entryPath is not null && depth < MaxDepth:
                    await CollectFilesAsync(scope, entryPath, depth + 1, files, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
    }

    private async Task<(JsonObject Entry, JsonObject Raw)> ReviewOfLastChangeAsync(RepositoryScope scope, string file, CancellationToken cancellationToken)
    {
        var commits = (await client.GetAsync($"{scope.Api}/commits?sha={scope.EscapedBranch}&path={Uri.EscapeDataString(file)}&per_page=1", cancellationToken).ConfigureAwait(false)).ParseArray();
        var commit = GitHubJson.Objects(commits).FirstOrDefault();
        var entry = new JsonObject { ["path"] = file };
        var raw = new JsonObject { ["path"] = file, ["commit"] = commit?.DeepClone() };
        if (commit is null || GitHubJson.String(commit, "sha") is not { } sha)
        {
            entry["approved"] = false;
            entry["reason"] = "no commit found for the file";
            return (entry, raw);
        }

        var details = GitHubJson.Object(commit, "commit");
        entry["lastCommit"] = sha;
        entry["lastChangedAt"] = GitHubJson.Timestamp(GitHubJson.Date(GitHubJson.Object(details, "committer"), "date"));
        entry["lastChangedBy"] = GitHubJson.Login(commit, "author") ?? GitHubJson.String(GitHubJson.Object(details, "author"), "name");

        var pulls = (await client.GetAsync($"{scope.Api}/commits/{sha}/pulls?per_page=100", cancellationToken).ConfigureAwait(false)).ParseArray();
        var merged = GitHubJson.Objects(pulls)
            .Where(p => GitHubJson.Date(p, "merged_at") is not null)
            .OrderByDescending(p => GitHubJson.String(GitHubJson.Object(p, "base"), "ref") == scope.DefaultBranch)
            .ThenByDescending(p => GitHubJson.String(p, "merge_commit_sha") == sha)
            .FirstOrDefault();
        if (merged is null || GitHubJson.Long(merged, "number") is not { } number)
        {
            entry["pullRequest"] = null;
            entry["approvers"] = new JsonArray();
            entry["approved"] = false;
            entry["reason"] = "changed without a merged pull request";
            return (entry, raw);
        }

        var reviews = await PullRequestReader.ReviewsAsync(client, scope.Api, number, cancellationToken).ConfigureAwait(false);
        var author = GitHubJson.Login(merged, "user");
        var approvers = PullRequestApproval.IndependentApprovers(author, GitHubJson.Objects(reviews).Select(PullRequestApproval.FromJson), GitHubJson.Date(merged, "merged_at"));
        entry["pullRequest"] = number;
        entry["pullRequestAuthor"] = author;
        entry["mergedAt"] = GitHubJson.Timestamp(GitHubJson.Date(merged, "merged_at"));
        entry["approvers"] = GitHubJson.Strings(approvers);
        entry["approved"] = approvers.Count > 0;
        if (approvers.Count == 0)
        {
            entry["reason"] = "no independent approval on the pull request";
        }

        raw["pullRequest"] = merged.DeepClone();
        raw["reviews"] = reviews;
        return (entry, raw);
    }

    private static string EscapePath(string path) => string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
}
