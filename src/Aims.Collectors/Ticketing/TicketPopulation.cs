using Aims.Evidence.Items;

namespace Aims.Collectors.Ticketing;

/// <summary>
/// The tickets of one kind in one project, table or repository over the period: what one evidence item describes.
/// </summary>
public sealed record TicketPopulation
{
    /// <summary>The source family as subject ids name it: <c>jira</c>, <c>servicenow</c>, <c>github-issues</c>.</summary>
    public required string System { get; init; }

    public required TicketKind Kind { get; init; }

    /// <summary>The subject id, e.g. <c>jira/FRAUD/incidents</c>.</summary>
    public required string SubjectId { get; init; }

    public required string DisplayName { get; init; }

    /// <summary>The Jira project key, ServiceNow table or assignment group, GitHub repository (the <c>project</c> fact); null for a Jira query that found nothing in no configured project.</summary>
    public string? Project { get; init; }

    /// <summary>The GitHub repository (the <c>repository</c> fact), as owner/name.</summary>
    public string? Repository { get; init; }

    /// <summary>What defines the population (the JQL, the encoded query, the labels), for the auditor to re-run.</summary>
    public required string Query { get; init; }

    /// <summary>The API path the tickets were read from.</summary>
    public required string Locator { get; init; }

    public required EvidencePeriod Period { get; init; }

    public required IReadOnlyList<Ticket> Tickets { get; init; }

    /// <summary>Why the listing is known to be incomplete (paging stopped early), or null when it is complete.</summary>
    public string? IncompleteReason { get; init; }

    public Subject Subject => new("ticket-query", SubjectId, DisplayName);
}
