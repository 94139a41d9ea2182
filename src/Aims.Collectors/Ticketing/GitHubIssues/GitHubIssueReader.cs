using System.Text.Json.Nodes;
using Aims.Collectors.GitHub;

namespace Aims.Collectors.Ticketing.GitHubIssues;

/// <summary>
/// Normalizes a GitHub issue, and its events where read, into a <see cref="Ticket"/>: the addition of an approval
/// label is the approval (its removal revokes it), the first notified label the notification, closing and reopening
/// the transitions.
/// </summary>
internal sealed class GitHubIssueReader(GitHubIssuesSettings settings)
{
    /// <summary>Pull requests come through the issues API too; they carry a <c>pull_request</c> object.</summary>
    public static bool IsPullRequest(JsonObject item) => item.ContainsKey("pull_request");

    public static long? Number(JsonObject issue) => TicketJson.Long(issue, "number");

    /// <summary>Reads one issue. Throws <see cref="FormatException"/> when it lacks a number or a creation time.</summary>
    public Ticket Read(RepositoryName repository, JsonObject issue, IReadOnlyList<JsonObject>? events)
    {
        var number = Number(issue) ?? throw new FormatException($"an issue of {repository.FullName} has no 'number'.");
        var key = $"{repository.FullName}#{number}";
        var created = TicketJson.Date(issue, "created_at") ?? throw new FormatException($"issue {key} has no 'created_at'.");
        var state = TicketJson.String(issue, "state");
        var reason = TicketJson.String(issue, "state_reason");
        var open = state != "closed";
        var approvals = new List<TicketApproval>();
        var transitions = new List<TicketTransition>();
        DateTimeOffset? notified = null;
        string? closedBy = null;
        foreach (var e in (events ?? []).OrderBy(e => TicketJson.Date(e, "created_at")))
        {
            if (TicketJson.Date(e, "created_at") is not { } at)
            {
                continue;
            }

            var actor = TicketJson.String(TicketJson.Object(e, "actor"), "login");
            var label = TicketJson.String(TicketJson.Object(e, "label"), "name");
            switch (TicketJson.String(e, "event"))
            {
                case "labeled" when Matches(settings.ApprovalLabels, label):
                    approvals.Add(new TicketApproval(actor ?? "unknown", TicketApproval.Approved, at, actor));
                    break;
                case "unlabeled" when Matches(settings.ApprovalLabels, label):
                    // Taking the label off withdraws the approvals given so far.
                    for (var i = 0; i < approvals.Count; i++)
                    {
                        approvals[i] = approvals[i] with { State = approvals[i].State == TicketApproval.Approved ? "revoked" : approvals[i].State };
                    }

                    break;
                case "labeled" when notified is null && Matches(settings.NotifiedLabels, label):
                    notified = at;
                    break;
                case "closed":
                    transitions.Add(new TicketTransition("open", "closed", actor, at));
                    closedBy = actor;
                    break;
                case "reopened":
                    transitions.Add(new TicketTransition("closed", "open", actor, at));
                    break;
            }
        }

        return new Ticket
        {
            Key = key,
            Url = TicketJson.String(issue, "html_url"),
            Title = TicketJson.Title(TicketJson.String(issue, "title")),
            Project = repository.FullName,
            Status = reason is null ? state : $"{state} ({reason})",
            Open = open,
            Canceled = !open && reason is "not_planned" or "duplicate",
            CreatedAt = created,
            UpdatedAt = TicketJson.Date(issue, "updated_at"),
            ResolvedAt = open ? null : TicketJson.Date(issue, "closed_at"),
            ResolvedBy = open ? null : closedBy,
            DetectedAt = created,
            NotifiedAt = notified,
            DueAt = TicketJson.Date(TicketJson.Object(issue, "milestone"), "due_on"),
            Approvals = approvals,
            Transitions = transitions,
            RequesterId = TicketJson.String(TicketJson.Object(issue, "user"), "login"),
        };
    }

    private static bool Matches(IReadOnlyList<string> labels, string? label) =>
        label is not null && labels.Contains(label, StringComparer.OrdinalIgnoreCase);
}
