namespace Aims.Collectors.Ticketing;

/// <summary>
/// A population of tickets the ticketing collectors gather: its slug (job parameter and subject id part), its setting
/// name (<c>Queries:Incidents</c>, <c>Labels:Incidents</c>, <c>Tables:Incidents</c>), its evidence kind and the name of the
/// per-ticket array in the facts.
/// </summary>
public sealed record TicketKind(string Slug, string Setting, string EvidenceKind, string ListFact, string Noun)
{
    public static TicketKind Incidents { get; } = new("incidents", "Incidents", "ticket.incidents", "incidents", "incidents");

    public static TicketKind Concerns { get; } = new("concerns", "Concerns", "ticket.concerns", "concerns", "concern reports");

    public static TicketKind ChangeRequests { get; } = new("change-requests", "ChangeRequests", "ticket.change-requests", "changes", "change requests");

    public static TicketKind ImpactAssessments { get; } = new("impact-assessments", "ImpactAssessments", "ticket.impact-assessments", "assessments", "impact assessments");

    public static TicketKind VendorReviews { get; } = new("vendor-reviews", "VendorReviews", "ticket.vendor-reviews", "reviews", "vendor reviews");

    public static TicketKind Nonconformities { get; } = new("nonconformities", "Nonconformities", "ticket.nonconformities", "nonconformities", "nonconformities");

    public static IReadOnlyList<TicketKind> All { get; } = [Incidents, Concerns, ChangeRequests, ImpactAssessments, VendorReviews, Nonconformities];

    /// <summary>Kinds whose evidence is about approvals (who approved, when, and what went ahead without one).</summary>
    public bool NeedsApprovals => this == ChangeRequests || this == ImpactAssessments || this == VendorReviews;

    /// <summary>Finds a kind by slug (<c>change-requests</c>), setting name (<c>ChangeRequests</c>) or evidence kind, ignoring case.</summary>
    public static TicketKind? Find(string? name) =>
        All.FirstOrDefault(k => string.Equals(k.Slug, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(k.Setting, name, StringComparison.OrdinalIgnoreCase)
            || string.Equals(k.EvidenceKind, name, StringComparison.OrdinalIgnoreCase));

    public override string ToString() => Slug;
}
