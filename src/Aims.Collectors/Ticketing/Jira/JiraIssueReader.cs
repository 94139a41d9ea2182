using System.Text.Json.Nodes;

namespace Aims.Collectors.Ticketing.Jira;

/// <summary>
/// Normalizes a Jira issue (fields and changelog) into a <see cref="Ticket"/>: status transitions with their author
/// and time come from the changelog; the entry into an approval status is the approval, the first entry into a
/// notified status the notification, the last transition of a done issue who resolved it.
/// </summary>
internal sealed class JiraIssueReader(JiraSettings settings)
{
    /// <summary>The fields the search asks for: only what evidence needs (no description, no comments).</summary>
    public IReadOnlyList<string> Fields { get; } =
    [
        "summary", "status", "resolution", "resolutiondate", "created", "updated", "project", "duedate", "priority", "reporter",
        .. new[] { settings.NotifiedField, settings.DetectedField }.OfType<string>(),
    ];

    /// <summary>Reads one issue. Throws <see cref="FormatException"/> naming the issue when it lacks a key, project or creation time.</summary>
    public Ticket Read(JsonObject issue, IEnumerable<JsonObject> histories)
    {
        var key = TicketJson.String(issue, "key") ?? throw new FormatException($"a search result (id {TicketJson.Text(issue, "id") ?? "?"}) has no 'key'.");
        var fields = TicketJson.Object(issue, "fields") ?? throw new FormatException($"issue {key} has no 'fields'.");
        var project = TicketJson.String(TicketJson.Object(fields, "project"), "key") ?? key.Split('-')[0];
        var created = TicketJson.Date(fields, "created") ?? throw new FormatException($"issue {key} has no 'created' time.");
        var status = TicketJson.Object(fields, "status");
        var statusName = TicketJson.String(status, "name");
        var category = TicketJson.String(TicketJson.Object(status, "statusCategory"), "key");
        var resolution = TicketJson.String(TicketJson.Object(fields, "resolution"), "name");
        var resolvedAt = TicketJson.Date(fields, "resolutiondate");
        var open = category is not null ? category != "done" : resolution is null && resolvedAt is null;

        var transitions = histories
            .SelectMany(h => Transitions(h))
            .OrderBy(t => t.Transition.At)
            .ToList();
        var approvals = transitions
            .Where(t => Matches(settings.ApprovalStatuses, t.Transition.To))
            .Select(t => new TicketApproval(t.Transition.By ?? "unknown", TicketApproval.Approved, t.Transition.At, t.AuthorId))
            .ToList();
        var notified = settings.NotifiedField is { } nf ? FieldDate(fields, nf) : null;
        notified ??= transitions.FirstOrDefault(t => Matches(settings.NotifiedStatuses, t.Transition.To)).Transition?.At;
        var last = transitions.Count > 0 ? transitions[^1].Transition : null;

        return new Ticket
        {
            Key = key,
            Url = new Uri(settings.BaseUrl, "browse/" + Uri.EscapeDataString(key)).AbsoluteUri,
            Title = TicketJson.Title(TicketJson.String(fields, "summary")),
            Project = project,
            Status = statusName,
            Priority = TicketJson.String(TicketJson.Object(fields, "priority"), "name"),
            Open = open,
            Canceled = !open && (Matches(settings.CanceledOutcomes, resolution) || Matches(settings.CanceledOutcomes, statusName)),
            CreatedAt = created,
            UpdatedAt = TicketJson.Date(fields, "updated"),
            ResolvedAt = open ? null : resolvedAt ?? last?.At,
            ResolvedBy = open ? null : last?.By,
            DetectedAt = settings.DetectedField is { } df ? FieldDate(fields, df) ?? created : created,
            NotifiedAt = notified,
            DueAt = EndOfDay(TicketJson.String(fields, "duedate")),
            Approvals = approvals,
            Transitions = transitions.Select(t => t.Transition).ToList(),
            RequesterId = UserId(TicketJson.Object(fields, "reporter")),
        };
    }

    private static IEnumerable<(TicketTransition Transition, string? AuthorId)> Transitions(JsonObject history)
    {
        if (TicketJson.Date(history, "created") is not { } at)
        {
            yield break;
        }

        var author = TicketJson.Object(history, "author");
        var by = TicketJson.String(author, "displayName") ?? TicketJson.String(author, "name");
        foreach (var item in TicketJson.Objects(TicketJson.Array(history, "items")))
        {
            var field = TicketJson.String(item, "fieldId") ?? TicketJson.String(item, "field");
            if (string.Equals(field, "status", StringComparison.OrdinalIgnoreCase))
            {
                yield return (new TicketTransition(TicketJson.String(item, "fromString"), TicketJson.String(item, "toString"), by, at), UserId(author));
            }
        }
    }

    // Cloud identifies people by accountId; Data Center by key or name.
    private static string? UserId(JsonObject? user) =>
        TicketJson.String(user, "accountId") ?? TicketJson.String(user, "key") ?? TicketJson.String(user, "name");

    private static bool Matches(IReadOnlyList<string> names, string? value) =>
        value is not null && names.Contains(value, StringComparer.OrdinalIgnoreCase);

    // A date field (a date or date-time custom field) as a moment; a date alone is that day's start in UTC.
    private static DateTimeOffset? FieldDate(JsonObject fields, string field) => TicketJson.Date(fields, field);

    // A due date means "by the end of that day".
    private static DateTimeOffset? EndOfDay(string? date) =>
        TicketJson.ParseDate(date) is { } d ? new DateTimeOffset(d.UtcDateTime.Date, TimeSpan.Zero).AddDays(1).AddSeconds(-1) : null;
}
