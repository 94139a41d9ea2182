namespace Aims.Collectors.Ticketing;

/// <summary>
/// One ticket normalized from Jira, ServiceNow or GitHub Issues: only the fields evidence needs (no description, no
/// comments, no reporter name), so stored populations carry as little personal or secret text as possible.
/// </summary>
public sealed record Ticket
{
    /// <summary>The ticket's key as people know it (<c>FRAUD-12</c>, <c>INC0010023</c>, <c>#42</c>).</summary>
    public required string Key { get; init; }

    /// <summary>Where a person opens it.</summary>
    public string? Url { get; init; }

    public string? Title { get; init; }

    /// <summary>What the population is attributed to: a Jira project key, a ServiceNow table or assignment group, a repository.</summary>
    public required string Project { get; init; }

    /// <summary>The status or state as the source names it.</summary>
    public string? Status { get; init; }

    public string? Priority { get; init; }

    public bool Open { get; init; }

    /// <summary>Closed without being carried out (won't do, duplicate, canceled, not planned, rejected).</summary>
    public bool Canceled { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>When it was resolved or closed.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Who resolved or closed it, when the source says.</summary>
    public string? ResolvedBy { get; init; }

    /// <summary>Incidents: when it was detected (a configured field, else creation).</summary>
    public DateTimeOffset? DetectedAt { get; init; }

    /// <summary>Incidents: when the notification was made (a configured status, label or field).</summary>
    public DateTimeOffset? NotifiedAt { get; init; }

    public DateTimeOffset? DueAt { get; init; }

    /// <summary>Approvals as the source records them, in time order (approved, rejected or still requested).</summary>
    public IReadOnlyList<TicketApproval> Approvals { get; init; } = [];

    /// <summary>Status changes in time order, when the source has them.</summary>
    public IReadOnlyList<TicketTransition> Transitions { get; init; } = [];

    /// <summary>The person who raised the ticket, as an opaque id, only to tell self-approval; never stored.</summary>
    public string? RequesterId { get; init; }

    /// <summary>The latest approval in effect, if any.</summary>
    public TicketApproval? Approval => Approvals.LastOrDefault(a => a.State == TicketApproval.Approved);

    /// <summary>Approved only by the person who raised it.</summary>
    public bool SelfApproved =>
        RequesterId is not null
        && Approvals.Any(a => a.State == TicketApproval.Approved)
        && Approvals.Where(a => a.State == TicketApproval.Approved).All(a => a.ApproverId == RequesterId);

    /// <summary>Whether the ticket was live during the period: raised before its end and not finished before its start.</summary>
    public bool InPeriod(Aims.Evidence.Items.EvidencePeriod period)
    {
        if (CreatedAt >= period.To)
        {
            return false;
        }

        if (Open)
        {
            return true;
        }

        var finished = ResolvedAt ?? UpdatedAt;
        return finished is null || finished >= period.From;
    }
}

/// <summary>An approval: who, in which state, when.</summary>
/// <param name="Approver">The approver's display name or login.</param>
/// <param name="ApproverId">An opaque id of the approver (to compare with the requester); not stored.</param>
public sealed record TicketApproval(string Approver, string State, DateTimeOffset? At, string? ApproverId = null)
{
    public const string Approved = "approved";
    public const string Rejected = "rejected";
    public const string Requested = "requested";
}

/// <summary>A status change: from, to, who, when.</summary>
public sealed record TicketTransition(string? From, string? To, string? By, DateTimeOffset At);
