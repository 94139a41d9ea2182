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
    /// <summary>The controls recorded in the item and those the current requirements map its kind to.</summary>
    public IReadOnlyList<string> MappedControls { get; init; } = Controls;

    /// <summary>When the item goes stale under the strictest requirement it serves; null when none applies.</summary>
    public DateTimeOffset? Expires { get; init; }

    /// <summary>SHA-256 of the item's file in the bundle.</summary>
    public string Sha256 { get; init; } = "";
}
