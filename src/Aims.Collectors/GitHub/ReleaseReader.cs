using System.Text.Json.Nodes;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.releases</c>: releases published in the period (drafts excluded). All pages are read: a release's
/// <c>created_at</c> is its commit's date, so the listing order says nothing about when it was published.
/// </summary>
internal sealed class ReleaseReader(JsonRestClient client) : IRepositoryEvidenceReader
{
    public const string KindName = "github.releases";

    public string Kind => KindName;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/releases";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        var kept = new List<(DateTimeOffset Published, JsonObject Release)>();
        await foreach (var page in client.GetPagesAsync($"{scope.Api}/releases?per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var release in GitHubJson.Objects(page.ParseArray()))
            {
                if (GitHubJson.Bool(release, "draft") != true
                    && GitHubJson.Date(release, "published_at") is { } published
                    && published >= scope.Period.From && published < scope.Period.To)
                {
                    // Release notes can run long and are not what the evidence is about; the rest is kept as sent.
                    var copy = (JsonObject)release.DeepClone();
                    copy.Remove("body");
                    kept.Add((published, copy));
                }
            }
        }

        var releases = new JsonArray();
        var raw = new JsonArray();
        foreach (var (published, release) in kept.OrderBy(r => r.Published).ThenBy(r => GitHubJson.Long(r.Release, "id")))
        {
            releases.Add(new JsonObject
            {
                ["tag"] = GitHubJson.String(release, "tag_name"),
                ["name"] = GitHubJson.String(release, "name"),
                ["publishedAt"] = GitHubJson.Timestamp(published),
                ["author"] = GitHubJson.Login(release, "author"),
                ["prerelease"] = GitHubJson.Bool(release, "prerelease") ?? false,
                ["targetCommitish"] = GitHubJson.String(release, "target_commitish"),
            });
            raw.Add(release);
        }

        var facts = new JsonObject
        {
            ["releaseCount"] = releases.Count,
            ["latestPublishedAt"] = kept.Count > 0 ? GitHubJson.Timestamp(kept.Max(r => r.Published)) : null,
            ["releases"] = releases,
        };
        return new GitHubObservation(Kind, Locator(scope), $"{scope.Repository}: {releases.Count} release(s) published in the period", facts,
            new JsonObject { ["releases"] = raw }, Period: scope.Period);
    }
}
