using Aims.Collectors.GitHub;
using Review = Aims.Collectors.GitHub.PullRequestApproval.Review;

namespace Aims.Collectors.Tests.GitHub;

public sealed class PullRequestApprovalTests
{
    private static readonly DateTimeOffset T0 = new(2025, 3, 1, 9, 0, 0, TimeSpan.Zero);

    private static Review R(long id, string? who, string state, int minutes) => new(id, who, state, T0.AddMinutes(minutes));

    [Fact]
    public void An_approval_by_someone_else_counts()
    {
        var approvers = PullRequestApproval.IndependentApprovers("alice", [R(1, "bob", "APPROVED", 0)], T0.AddHours(1));

        Assert.Equal(["bob"], approvers);
    }

    [Fact]
    public void The_authors_own_approval_does_not_count_whatever_its_case()
    {
        var approvers = PullRequestApproval.IndependentApprovers("Alice", [R(1, "alice", "APPROVED", 0)], T0.AddHours(1));

        Assert.Empty(approvers);
    }

    [Fact]
    public void Changes_requested_after_an_approval_cancel_it()
    {
        var approvers = PullRequestApproval.IndependentApprovers("alice", [R(1, "bob", "APPROVED", 0), R(2, "bob", "CHANGES_REQUESTED", 5)], T0.AddHours(1));

        Assert.Empty(approvers);
    }

    [Fact]
    public void A_dismissed_review_cancels_and_a_later_approval_restores()
    {
        Assert.Empty(PullRequestApproval.IndependentApprovers("alice", [R(1, "bob", "APPROVED", 0), R(2, "bob", "DISMISSED", 5)], T0.AddHours(1)));
        Assert.Equal(["bob"], PullRequestApproval.IndependentApprovers("alice", [R(1, "bob", "CHANGES_REQUESTED", 0), R(2, "bob", "APPROVED", 5)], T0.AddHours(1)));
    }

    [Fact]
    public void A_comment_after_an_approval_keeps_it()
    {
        var approvers = PullRequestApproval.IndependentApprovers("alice", [R(1, "bob", "APPROVED", 0), R(2, "bob", "COMMENTED", 5)], T0.AddHours(1));

        Assert.Equal(["bob"], approvers);
    }

    [Fact]
    public void An_approval_after_the_merge_came_too_late()
    {
        var approvers = PullRequestApproval.IndependentApprovers("alice", [R(1, "bob", "APPROVED", 90)], T0.AddHours(1));

        Assert.Empty(approvers);
    }

    [Fact]
    public void Reviews_are_ordered_by_submission_not_by_list_position()
    {
        var approvers = PullRequestApproval.IndependentApprovers("alice", [R(2, "bob", "APPROVED", 10), R(1, "bob", "CHANGES_REQUESTED", 0)], T0.AddHours(1));

        Assert.Equal(["bob"], approvers);
    }

    [Fact]
    public void Reviews_by_deleted_users_and_pending_reviews_are_ignored()
    {
        Review[] reviews = [R(1, null, "APPROVED", 0), new Review(2, "carol", "PENDING", null)];

        Assert.Empty(PullRequestApproval.IndependentApprovers("alice", reviews, T0.AddHours(1)));
    }
}
