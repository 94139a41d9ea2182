using Aims.Evidence.Catalog;
using Aims.Evidence.Gaps;
using Aims.Evidence.Requirements;
using Aims.Reporting.Signing;

namespace Aims.Reporting.Bundle;

/// <summary>What to put in an auditor bundle.</summary>
/// <param name="From">Start of the audit period (inclusive, UTC).</param>
/// <param name="To">End of the audit period (inclusive, UTC).</param>
/// <param name="Report">The gap analysis whose statuses controls.csv and index.html show.</param>
/// <param name="GeneratorVersion">The product version written to manifest.json.</param>
/// <param name="Controls">Only evidence for these controls (any of them); null or empty for every control.</param>
/// <param name="AiSystem">Only evidence whose subject belongs to this AI system; null for all.</param>
public sealed record BundleRequest(
    DateTimeOffset From,
    DateTimeOffset To,
    GapReport Report,
    string GeneratorVersion,
    IReadOnlyList<string>? Controls = null,
    string? AiSystem = null)
{
    public const string DefaultGeneratorName = "aims-evidence";

    public string GeneratorName { get; init; } = DefaultGeneratorName;

    /// <summary>Signs manifest.json and SHA256SUMS; null for an unsigned bundle.</summary>
    public IEvidenceSigner? Signer { get; init; }

    /// <summary>
    /// The effective requirements: the applicability decisions for soa.*, and the current kind → control mapping the control
    /// filter uses beside the controls recorded in the evidence. Null: every control applicable, the report's requirements.
    /// </summary>
    public RequirementSet? Requirements { get; init; }

    /// <summary>The control filter in catalog spelling; empty when there is none.</summary>
    public IReadOnlyList<string> NormalizedControls(ControlCatalog catalog) =>
        (Controls ?? []).Where(c => !string.IsNullOrWhiteSpace(c)).Select(c => catalog.Normalize(c.Trim())).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();

    /// <summary>Throws <see cref="ArgumentException"/> naming what is wrong with the request.</summary>
    public void Validate(ControlCatalog catalog)
    {
        if (From > To)
        {
            throw new ArgumentException($"The bundle period starts ({IO.Timestamps.Iso(From)}) after it ends ({IO.Timestamps.Iso(To)}).", nameof(From));
        }

        foreach (var control in NormalizedControls(catalog).Where(c => !catalog.Contains(c)))
        {
            throw new ArgumentException($"'{control}' is not a control of the catalog (e.g. A.6.2.6 or 9.2).", nameof(Controls));
        }

        if (string.IsNullOrWhiteSpace(GeneratorVersion))
        {
            throw new ArgumentException("The generator version is required for manifest.json.", nameof(GeneratorVersion));
        }
    }
}
