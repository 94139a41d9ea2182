using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Evidence;

namespace Aims.Collectors.GitHub;

/// <summary>The <c>github.repository</c> observation, from <c>GET repos/{owner}/{repo}</c>.</summary>
internal static class RepositoryFacts
{
    public static GitHubObservation Observe(RepositoryName name, RestResponse response, JsonObject repository)
    {
        var topics = GitHubJson.Array(repository, "topics")?.OfType<JsonValue>()
            .Select(t => t.TryGetValue<string>(out var s) ? s : null).OfType<string>()
            .Order(StringComparer.Ordinal).ToArray() ?? [];
        var visibility = GitHubJson.String(repository, "visibility")
            ?? (GitHubJson.Bool(repository, "private") == true ? "private" : "public");
        var facts = new JsonObject
        {
            ["fullName"] = GitHubJson.String(repository, "full_name") ?? name.FullName,
            ["description"] = GitHubJson.String(repository, "description"),
            ["visibility"] = visibility,
            ["archived"] = GitHubJson.Bool(repository, "archived") ?? false,
            ["fork"] = GitHubJson.Bool(repository, "fork") ?? false,
            ["defaultBranch"] = GitHubJson.String(repository, "default_branch"),
            ["topics"] = GitHubJson.Strings(topics),
            ["htmlUrl"] = GitHubJson.String(repository, "html_url"),
        };
        if (GitHubJson.Object(repository, "custom_properties") is { } properties)
        {
            facts["customProperties"] = properties.DeepClone();
        }

        var summary = $"{name.FullName}: {visibility}, default branch {facts["defaultBranch"]}"
            + (topics.Length > 0 ? $", topics {string.Join(", ", topics)}" : ", no topics")
            + (facts["archived"]!.GetValue<bool>() ? ", archived" : "");
        return new GitHubObservation(EvidenceKinds.GitHubRepository, "/" + name.ApiPath, summary, facts, RawBytes: response.Body);
    }
}
