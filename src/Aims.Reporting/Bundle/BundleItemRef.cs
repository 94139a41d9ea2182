namespace Aims.Reporting.Bundle;

/// <summary>
/// What index.html and controls.csv need of a bundled item. Kept per selected item instead of the item itself,
/// so a bundle of many items holds a few hundred bytes each, never their facts.
/// </summary>
internal sealed record BundleItemRef(
    string Id,
    string Kind,
    string SubjectKey,
    string DisplayName,
    DateTimeOffset ObservedAt,
    IReadOnlyList<string> Controls,
    IReadOnlyList<string> AiSystems,
    IReadOnlyList<string> RequirementIds,
    string Summary,
    string? RawSha256)
{
    /// <summary>The date the evidence speaks for (e.g. a document's approval), when the item records one.</summary>
    public DateTimeOffset? EvidenceDate { get; init; }

    /// <summary>The period a population covers, when the item is one.</summary>
    public Aims.Evidence.Items.EvidencePeriod? Period { get; init; }

    /// <summary>Where it was observed: the source system and instance (e.g. <c>github</c>, <c>https://api.github.com</c>).</summary>
    public string Source { get; init; } = "";

    public string? RawMediaType { get; init; }
}
