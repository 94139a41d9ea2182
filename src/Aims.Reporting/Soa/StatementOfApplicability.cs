using Aims.Evidence.Catalog;
using Aims.Evidence.Gaps;
using Aims.Evidence.Requirements;

namespace Aims.Reporting.Soa;

/// <summary>A requirement that implements a control, as the SoA shows it.</summary>
public sealed record SoaRequirement(string Id, string Kind, string Owner, GapStatus Status, Waiver? Waiver);

/// <summary>
/// One Annex A control in the Statement of Applicability: included or excluded and why, what implements it, its status
/// on the analysis date, and its evidence (bundle paths when the SoA is part of a bundle, item ids otherwise).
/// </summary>
public sealed record SoaControl(
    Control Control,
    bool Applicable,
    string? Justification,
    bool Stated,
    GapStatus Status,
    IReadOnlyList<SoaRequirement> Requirements,
    IReadOnlyList<string> Evidence,
    string? Finding)
{
    public IReadOnlyList<string> Kinds => Requirements.Select(r => r.Kind).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}

/// <summary>
/// The Statement of Applicability (ISO/IEC 42001 clause 6.1.3 d): every Annex A control, included or excluded with the
/// justification from the organization's requirements file (<c>applicability</c>), joined with the gap analysis.
/// A control the file does not mention is included by default; an exclusion without a justification is a finding.
/// </summary>
public sealed record StatementOfApplicability(string Organization, DateTimeOffset AsOf, IReadOnlyList<SoaControl> Controls)
{
    public IEnumerable<SoaControl> Findings => Controls.Where(c => c.Finding is not null);

    /// <param name="report">The gap analysis (its controls give the statuses).</param>
    /// <param name="requirements">The effective requirements with the applicability section.</param>
    /// <param name="evidenceFor">The evidence to list for a control (bundle paths or item ids).</param>
    public static StatementOfApplicability Build(GapReport report, RequirementSet requirements, Func<ControlResult, IReadOnlyList<string>> evidenceFor, ControlCatalog? catalog = null)
    {
        var controls = new List<SoaControl>();
        foreach (var control in (catalog ?? ControlCatalog.Default).Controls.Where(c => c.Type == ControlType.AnnexA))
        {
            var result = report.Controls.FirstOrDefault(c => c.Control.Id == control.Id) ?? new ControlResult(control, GapStatus.Missing, []);
            var decision = requirements.ApplicabilityOf(control.Id);
            var applicable = decision?.Applicable ?? true;
            string? finding = null;
            if (!applicable && decision!.Justification is null)
            {
                finding = $"{control.Id} is excluded without a justification ({decision.Location}): clause 6.1.3 requires one.";
            }

            var reqs = result.Requirements
                .Select(r => new SoaRequirement(r.Requirement.Id, r.Requirement.Kind, r.Requirement.Owner, r.Status, r.Waiver))
                .ToList();
            var status = applicable ? result.Status : GapStatus.NotApplicable;
            controls.Add(new SoaControl(control, applicable, decision?.Justification, decision is not null, status, reqs, applicable ? evidenceFor(result) : [], finding));
        }

        return new StatementOfApplicability(report.Organization, report.AsOf, controls);
    }

    /// <summary>The evidence of a control as the analysis used it: the latest item id of each subject.</summary>
    public static IReadOnlyList<string> AnalysedItems(ControlResult control) =>
        control.Requirements.SelectMany(r => r.Subjects).Select(s => s.ItemId).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
