using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Evidence;

namespace Aims.Collectors.GitHub;

/// <summary>
/// <c>github.pull-requests</c>: every pull request merged in the period, each with its independent approvers.
/// Lists closed pull requests newest-updated first and stops once they were last updated before the period
/// (a pull request merged in the period was updated in it, at the latest when merged). The merged pull requests' details
/// and reviews are read <paramref name="concurrency"/> pull requests at a time and recorded in number order.
/// </summary>
internal sealed class PullRequestReader(JsonRestClient client, int concurrency = 1) : IRepositoryEvidenceReader
{
    public string Kind => EvidenceKinds.GitHubPullRequests;

    public string Locator(RepositoryScope scope) => $"/{scope.Api}/pulls?state=closed";

    public async Task<GitHubObservation> ReadAsync(RepositoryScope scope, CancellationToken cancellationToken = default)
    {
        var merged = (await MergedInPeriodAsync(scope, cancellationToken).ConfigureAwait(false)).OrderBy(p => p.Number).ToList();
        var details = await DetailsAsync(scope, merged.Select(p => p.Number).ToList(), cancellationToken).ConfigureAwait(false);
        var entries = new JsonArray();
        var rawPulls = new JsonArray();
        var without = 0;
        for (var i = 0; i < merged.Count; i++)
        {
            var (number, listedAuthor, listedMergedAt) = merged[i];
            var (detail, reviews) = details[i];
            var author = GitHubJson.Login(detail, "user") ?? listedAuthor;
            var mergedAt = GitHubJson.Date(detail, "merged_at") ?? listedMergedAt;
            var approvers = PullRequestApproval.IndependentApprovers(author, GitHubJson.Objects(reviews).Select(PullRequestApproval.FromJson), mergedAt);
            if (approvers.Count == 0)
            {
                without++;
            }

            entries.Add(new JsonObject
            {
                ["number"] = number,
                ["title"] = GitHubJson.String(detail, "title"),
                ["author"] = author,
                ["baseBranch"] = GitHubJson.String(GitHubJson.Object(detail, "base"), "ref"),
                ["mergedAt"] = GitHubJson.Timestamp(mergedAt),
                ["mergedBy"] = GitHubJson.Login(detail, "merged_by"),
                ["approvers"] = GitHubJson.Strings(approvers),
                ["independentlyApproved"] = approvers.Count > 0,
            });
            rawPulls.Add(new JsonObject { ["pull"] = Compact(detail), ["reviews"] = reviews });
        }

        var facts = new JsonObject
        {
            ["mergedCount"] = entries.Count,
            ["mergedWithoutIndependentApproval"] = without,
            ["pullRequests"] = entries,
        };
        var summary = $"{scope.Repository}: {entries.Count} pull request(s) merged in [{Day(scope.Period.From)}, {Day(scope.Period.To)}); {without} without independent approval";
        var raw = new JsonObject { ["pullRequests"] = rawPulls };
        return new GitHubObservation(Kind, Locator(scope), summary, facts, raw, Period: scope.Period);
    }

    /// <summary>The pull requests merged in the period, with the author and merge time the listing gives (the detail's win).</summary>
    private async Task<List<(long Number, string? Author, DateTimeOffset? MergedAt)>> MergedInPeriodAsync(RepositoryScope scope, CancellationToken cancellationToken)
    {
        var merged = new List<(long, string?, DateTimeOffset?)>();
        await foreach (var page in client.GetPagesAsync($"{scope.Api}/pulls?state=closed&sort=updated&direction=desc&per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var pull in GitHubJson.Objects(page.ParseArray()))
            {
                if (GitHubJson.Date(pull, "updated_at") is { } updated && updated < scope.Period.From)
                {
                    return merged;
                }

                if (GitHubJson.Date(pull, "merged_at") is { } at && at >= scope.Period.From && at < scope.Period.To
                    && GitHubJson.Long(pull, "number") is { } number)
                {
                    merged.Add((number, GitHubJson.Login(pull, "user"), at));
                }
            }
        }

        return merged;
    }

    /// <summary>
    /// Each pull request's detail and reviews, in the order of <paramref name="numbers"/> whatever order they arrive in.
    /// When several fail, the first in that order is the one thrown, so the same failures always read the same.
    /// </summary>
    private async Task<(JsonObject Detail, JsonArray Reviews)[]> DetailsAsync(RepositoryScope scope, IReadOnlyList<long> numbers, CancellationToken cancellationToken)
    {
        var details = new (JsonObject Detail, JsonArray Reviews)[numbers.Count];
        var failures = new Exception?[numbers.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, numbers.Count), new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            try
            {
                var detail = (await client.GetAsync($"{scope.Api}/pulls/{numbers[i]}", ct).ConfigureAwait(false)).ParseObject();
                details[i] = (detail, await ReviewsAsync(client, scope.Api, numbers[i], ct).ConfigureAwait(false));
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                failures[i] = ex;
            }
        }).ConfigureAwait(false);

        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(failure);
        }

        return details;
    }

    /// <summary>Every review of a pull request, across pages.</summary>
    internal static async Task<JsonArray> ReviewsAsync(JsonRestClient client, string api, long number, CancellationToken cancellationToken)
    {
        var reviews = new JsonArray();
        await foreach (var page in client.GetPagesAsync($"{api}/pulls/{number}/reviews?per_page=100", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            foreach (var review in GitHubJson.TakeObjects(page.ParseArray()))
            {
                reviews.Add(review);
            }
        }

        return reviews;
    }

    // The pull request as GitHub sent it, minus the two embedded repository objects that make up most of its size. The
    // parsed detail is this reader's own and read before this, so it is trimmed in place rather than copied.
    private static JsonObject Compact(JsonObject pull)
    {
        foreach (var side in new[] { "head", "base" })
        {
            if (pull[side] is JsonObject o)
            {
                o.Remove("repo");
            }
        }

        pull.Remove("_links");
        return pull;
    }

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
