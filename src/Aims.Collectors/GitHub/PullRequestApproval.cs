using System.Text.Json.Nodes;

namespace Aims.Collectors.GitHub;

/// <summary>
/// Who independently approved a pull request: reviewers other than its author whose latest deciding review
/// (APPROVED, CHANGES_REQUESTED or DISMISSED) before the merge is APPROVED. A comment does not change a decision;
/// a later request for changes or a dismissal cancels an approval; an approval given after the merge came too late.
/// </summary>
public static class PullRequestApproval
{
    /// <summary>One submitted review.</summary>
    public sealed record Review(long Id, string? Reviewer, string State, DateTimeOffset? SubmittedAt);

    public static IReadOnlyList<string> IndependentApprovers(string? author, IEnumerable<Review> reviews, DateTimeOffset? mergedAt)
    {
        var latest = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var review in reviews.OrderBy(r => r.SubmittedAt ?? DateTimeOffset.MaxValue).ThenBy(r => r.Id))
        {
            if (review.Reviewer is null || (mergedAt is { } merged && review.SubmittedAt > merged))
            {
                continue;
            }

            var state = review.State.ToUpperInvariant();
            if (state is "APPROVED" or "CHANGES_REQUESTED" or "DISMISSED")
            {
                latest[review.Reviewer] = state;
            }
        }

        return latest
            .Where(r => r.Value == "APPROVED" && !string.Equals(r.Key, author, StringComparison.OrdinalIgnoreCase))
            .Select(r => r.Key)
            .Order(StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>Reads a review object of <c>GET repos/{o}/{r}/pulls/{n}/reviews</c>.</summary>
    public static Review FromJson(JsonObject review) => new(
        GitHubJson.Long(review, "id") ?? 0,
        GitHubJson.Login(review, "user"),
        GitHubJson.String(review, "state") ?? "",
        GitHubJson.Date(review, "submitted_at"));
}
