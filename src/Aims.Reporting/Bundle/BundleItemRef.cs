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
    string? RawSha256);
