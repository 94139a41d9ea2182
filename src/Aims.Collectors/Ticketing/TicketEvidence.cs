using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Ticketing;

/// <summary>
/// Turns a ticket population into evidence the same way for every ticketing source: counts and times in the facts,
/// one entry per ticket, and the normalized population (never the provider's payload, which may hold descriptions,
/// comments or e-mail addresses) as the raw payload.
/// </summary>
public static class TicketEvidence
{
    public const string MediaType = "application/json";

    /// <summary>Stores the raw population and emits the item.</summary>
    /// <param name="asOf">The observation time: nonconformities past their due date and still open are overdue as of it.</param>
    /// <summary>Logs what a population holds (and why it is incomplete, if it is), then emits it.</summary>
    public static Task EmitLoggedAsync(IEvidenceSink sink, TicketPopulation population, DateTimeOffset asOf, ILogger logger, string source, CancellationToken cancellationToken = default)
    {
        if (population.IncompleteReason is { } reason)
        {
            TicketingLog.Incomplete(logger, source, population.Kind.Slug, population.SubjectId, reason);
        }

        TicketingLog.Collected(logger, source, population.Tickets.Count, population.Kind.Slug, population.SubjectId);
        return EmitAsync(sink, population, asOf, cancellationToken);
    }

    public static Task EmitAsync(IEvidenceSink sink, TicketPopulation population, DateTimeOffset asOf, CancellationToken cancellationToken = default) =>
        sink.EmitWithRawAsync(
            new EvidenceDraft
            {
                Kind = population.Kind.EvidenceKind,
                Subject = population.Subject,
                Locator = population.Locator,
                Summary = Summary(population, asOf),
                Facts = Facts(population, asOf),
                Period = population.Period,
            },
            Raw(population),
            cancellationToken);

    /// <summary>
    /// Records that a population could not be read. The <c>project</c> or <c>repository</c> fact goes along so the error
    /// is attributed to the same AI systems the evidence would have been.
    /// </summary>
    public static Task ReportErrorAsync(IEvidenceSink sink, TicketKind kind, Subject subject, string locator, string error, string? project = null, string? repository = null, CancellationToken cancellationToken = default)
    {
        var partial = new JsonObject();
        if (project is not null)
        {
            partial["project"] = project;
        }

        if (repository is not null)
        {
            partial["repository"] = repository;
        }

        return sink.ReportErrorAsync(subject, kind.EvidenceKind, locator, error, partial, cancellationToken);
    }

    public static JsonObject Facts(TicketPopulation population, DateTimeOffset asOf)
    {
        var tickets = population.Tickets;
        var facts = new JsonObject { ["system"] = population.System };
        if (population.Project is not null)
        {
            facts["project"] = population.Project;
        }

        if (population.Repository is not null)
        {
            facts["repository"] = population.Repository;
        }

        facts["query"] = population.Query;
        facts["complete"] = population.IncompleteReason is null;
        if (population.IncompleteReason is { } reason)
        {
            facts["incompleteReason"] = reason;
        }

        facts["count"] = tickets.Count;
        facts["open"] = tickets.Count(t => t.Open);
        facts["resolved"] = tickets.Count(t => !t.Open);
        var kind = population.Kind;
        if (kind == TicketKind.Incidents)
        {
            AddIncidentFacts(facts, tickets);
        }
        else if (kind == TicketKind.Concerns)
        {
            facts["medianHoursToResolve"] = TicketJson.Median(tickets.Where(t => !t.Open && !t.Canceled).Select(t => TicketJson.Hours(t.CreatedAt, t.ResolvedAt)).OfType<double>());
            facts["concerns"] = List(tickets, t => Entry(t, title: false, ("hoursToResolve", TicketJson.Hours(t.CreatedAt, t.ResolvedAt))));
        }
        else if (kind == TicketKind.Nonconformities)
        {
            AddNonconformityFacts(facts, tickets, asOf);
        }
        else
        {
            AddApprovalFacts(facts, kind, tickets);
        }

        return facts;
    }

    public static string Summary(TicketPopulation population, DateTimeOffset asOf)
    {
        var t = population.Tickets;
        var open = t.Count(x => x.Open);
        var where = $"{population.DisplayName}: {t.Count} live in {Day(population.Period.From)}..{Day(population.Period.To.AddTicks(-1))} ({open} open";
        var detail = population.Kind switch
        {
            var k when k == TicketKind.Incidents => TicketJson.Median(ResolveHours(t)) is { } m ? $", median {m.ToString(CultureInfo.InvariantCulture)} h to resolve" : "",
            var k when k == TicketKind.Nonconformities => $", {t.Count(x => IsOverdue(x, asOf))} overdue",
            var k when k.NeedsApprovals => $", {t.Count(WithoutApproval)} closed without approval",
            _ => "",
        };
        var incomplete = population.IncompleteReason is null ? "" : "; listing incomplete";
        return where + detail + ")" + incomplete + ".";
    }

    /// <summary>The raw payload: the normalized population, with every ticket's transitions and approvals.</summary>
    public static JsonObject Raw(TicketPopulation population) => new()
    {
        ["system"] = population.System,
        ["kind"] = population.Kind.EvidenceKind,
        ["subject"] = population.SubjectId,
        ["project"] = population.Project,
        ["repository"] = population.Repository,
        ["query"] = population.Query,
        ["locator"] = population.Locator,
        ["periodFrom"] = TicketJson.Timestamp(population.Period.From),
        ["periodTo"] = TicketJson.Timestamp(population.Period.To),
        ["complete"] = population.IncompleteReason is null,
        ["tickets"] = List(population.Tickets, t =>
        {
            var o = Entry(t, title: population.Kind != TicketKind.Concerns,
                ("priority", t.Priority), ("canceled", t.Canceled), ("updatedAt", TicketJson.Timestamp(t.UpdatedAt)), ("resolvedBy", t.ResolvedBy),
                ("detectedAt", TicketJson.Timestamp(t.DetectedAt)), ("notifiedAt", TicketJson.Timestamp(t.NotifiedAt)), ("dueOn", TicketJson.Timestamp(t.DueAt)));
            o["approvals"] = Approvals(t);
            o["transitions"] = new JsonArray(t.Transitions.Select(x => (JsonNode)new JsonObject
            {
                ["from"] = x.From,
                ["to"] = x.To,
                ["by"] = x.By,
                ["at"] = TicketJson.Timestamp(x.At),
            }).ToArray());
            return o;
        }),
    };

    /// <summary>Closed and carried out (not canceled) with no approval on record.</summary>
    public static bool WithoutApproval(Ticket t) => !t.Open && !t.Canceled && t.Approval is null;

    public static bool IsOverdue(Ticket t, DateTimeOffset asOf) => t.Open && t.DueAt is { } due && due < asOf;

    private static void AddIncidentFacts(JsonObject facts, IReadOnlyList<Ticket> tickets)
    {
        facts["notified"] = tickets.Count(t => t.NotifiedAt is not null);
        facts["medianHoursToNotify"] = TicketJson.Median(tickets.Select(t => TicketJson.Hours(t.DetectedAt ?? t.CreatedAt, t.NotifiedAt)).OfType<double>());
        facts["medianHoursToResolve"] = TicketJson.Median(ResolveHours(tickets));
        facts["incidents"] = List(tickets, t => Entry(t, title: true,
            ("priority", t.Priority),
            ("detectedAt", TicketJson.Timestamp(t.DetectedAt ?? t.CreatedAt)),
            ("notifiedAt", TicketJson.Timestamp(t.NotifiedAt)),
            ("hoursToNotify", TicketJson.Hours(t.DetectedAt ?? t.CreatedAt, t.NotifiedAt)),
            ("hoursToResolve", t.Canceled ? null : TicketJson.Hours(t.DetectedAt ?? t.CreatedAt, t.ResolvedAt)),
            ("resolvedBy", t.ResolvedBy)));
    }

    private static IEnumerable<double> ResolveHours(IEnumerable<Ticket> tickets) =>
        tickets.Where(t => !t.Open && !t.Canceled).Select(t => TicketJson.Hours(t.DetectedAt ?? t.CreatedAt, t.ResolvedAt)).OfType<double>();

    private static void AddApprovalFacts(JsonObject facts, TicketKind kind, IReadOnlyList<Ticket> tickets)
    {
        facts["canceled"] = tickets.Count(t => t.Canceled);
        facts["approved"] = tickets.Count(t => t.Approval is not null);
        facts["withoutApproval"] = tickets.Count(WithoutApproval);
        facts["pendingApproval"] = tickets.Count(t => t.Open && t.Approval is null);
        facts["rejected"] = tickets.Count(t => t.Approval is null && t.Approvals.Any(a => a.State == TicketApproval.Rejected));
        facts["selfApproved"] = tickets.Count(t => t.SelfApproved);
        if (kind == TicketKind.VendorReviews)
        {
            facts["completed"] = tickets.Count(t => !t.Open && !t.Canceled);
        }

        facts[kind.ListFact] = List(tickets, t =>
        {
            var o = Entry(t, title: true,
                ("canceled", t.Canceled),
                ("approved", t.Approval is not null),
                ("approvedBy", t.Approval?.Approver),
                ("approvedOn", TicketJson.Timestamp(t.Approval?.At)),
                ("selfApproved", t.SelfApproved),
                ("withoutApproval", WithoutApproval(t)));
            o["approvers"] = Approvals(t);
            return o;
        });
    }

    private static void AddNonconformityFacts(JsonObject facts, IReadOnlyList<Ticket> tickets, DateTimeOffset asOf)
    {
        facts["overdue"] = tickets.Count(t => IsOverdue(t, asOf));
        facts["closedLate"] = tickets.Count(t => !t.Open && t.DueAt is { } due && t.ResolvedAt is { } done && done > due);
        facts["withoutDueDate"] = tickets.Count(t => t.Open && t.DueAt is null);
        facts["asOf"] = TicketJson.Timestamp(asOf);
        facts["nonconformities"] = List(tickets, t => Entry(t, title: true,
            ("correctiveActionStatus", t.Status),
            ("dueOn", TicketJson.Timestamp(t.DueAt)),
            ("overdue", IsOverdue(t, asOf)),
            ("closedLate", !t.Open && t.DueAt is { } due && t.ResolvedAt is { } done && done > due),
            ("resolvedBy", t.ResolvedBy)));
    }

    private static JsonArray Approvals(Ticket t) =>
        new(t.Approvals.Select(a => (JsonNode)new JsonObject
        {
            ["name"] = a.Approver,
            ["state"] = a.State,
            ["at"] = TicketJson.Timestamp(a.At),
        }).ToArray());

    private static JsonObject Entry(Ticket t, bool title, params (string Name, object? Value)[] extra)
    {
        var o = new JsonObject { ["key"] = t.Key };
        if (t.Url is not null)
        {
            o["url"] = t.Url;
        }

        if (title && t.Title is not null)
        {
            o["title"] = t.Title;
        }

        o["status"] = t.Status;
        o["open"] = t.Open;
        o["createdAt"] = TicketJson.Timestamp(t.CreatedAt);
        o["resolvedAt"] = TicketJson.Timestamp(t.ResolvedAt);
        foreach (var (name, value) in extra)
        {
            o[name] = value switch
            {
                null => null,
                string s => s,
                bool b => b,
                double d => d,
                int i => i,
                _ => throw new ArgumentException($"Unsupported fact value type {value.GetType().Name} for '{name}'."),
            };
        }

        return o;
    }

    private static JsonArray List(IEnumerable<Ticket> tickets, Func<Ticket, JsonObject> entry) =>
        new(tickets.OrderBy(t => t.CreatedAt).ThenBy(t => t.Key, StringComparer.Ordinal).Select(t => (JsonNode)entry(t)).ToArray());

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
