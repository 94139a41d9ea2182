using Aims.Evidence;
using Aims.Evidence.Gaps;

namespace Aims.Reporting.Digest;

/// <summary>Why an action is in the plan; declared in the order actions with the same due date are listed.</summary>
public enum ActionKind
{
    /// <summary>A check on existing evidence failed: fix what it found.</summary>
    Fix,

    /// <summary>No evidence at all although its source is configured.</summary>
    Provide,

    /// <summary>The evidence went stale.</summary>
    Renew,

    /// <summary>The latest collection failed.</summary>
    Repair,

    /// <summary>Fresh now, stale before the next audit.</summary>
    RenewBeforeAudit,

    /// <summary>Every requirement of a source family waits on its source being configured.</summary>
    ConfigureSource,
}

/// <summary>
/// One thing someone must do before the next audit. <paramref name="Due"/> is when the evidence goes stale, or the
/// analysis date when it is already missing, failing, stale or uncollectable.
/// </summary>
public sealed record PlanAction(
    DateTimeOffset Due,
    ActionKind Kind,
    GapStatus Status,
    string Owner,
    IReadOnlyList<string> RequirementIds,
    IReadOnlyList<string> Controls,
    IReadOnlyList<string> AiSystems,
    string NextStep,
    string? ItemId)
{
    /// <summary>True when the action is due on or before the analysis date.</summary>
    public bool IsOverdue(DateTimeOffset asOf) => Due <= asOf;
}

/// <summary>
/// The readiness figure: requirements ok or waived over all requirements whose source is configured. Requirements
/// that only wait on an unconfigured source are counted apart, so they neither inflate nor hide real gaps.
/// </summary>
public sealed record Readiness(int Ready, int InScope, int SourceNotConfigured, IReadOnlyList<string> UnconfiguredFamilies)
{
    /// <summary>Whole percent, rounded down so "100%" is only shown when everything is ready; null when nothing is in scope.</summary>
    public int? Percent => InScope == 0 ? null : Ready * 100 / InScope;

    public string Text => InScope == 0
        ? "no requirement has a configured source yet"
        : $"{Percent}% ready: {Ready} of {InScope} requirements ok or waived";

    public string NotConfiguredText => SourceNotConfigured == 0
        ? "every requirement's source is configured"
        : $"{SourceNotConfigured} more requirement{(SourceNotConfigured == 1 ? "" : "s")} wait{(SourceNotConfigured == 1 ? "s" : "")} on a source that is not configured ({string.Join(", ", UnconfiguredFamilies)})";
}

/// <summary>Turns a gap report into the plan: every action due before the next audit, earliest first.</summary>
public static class DigestPlan
{
    /// <summary>A requirement whose only problem is that no source of its family is configured.</summary>
    public static bool WaitsOnSource(RequirementResult r) =>
        !r.SourceConfigured && r.Status == GapStatus.Missing && r.Subjects.Count == 0;

    /// <summary>The reason as shown in tables: an unconfigured source is named once; its setting hints stay in Sources.</summary>
    public static string ShortReason(RequirementResult r) => WaitsOnSource(r)
        ? $"Source not configured ({EvidenceKinds.SourceOf(r.Requirement.Kind)})."
        : r.Reason;

    public static Readiness Readiness(GapReport report)
    {
        var waiting = report.Requirements.Where(WaitsOnSource).ToList();
        var inScope = report.Requirements.Where(r => !WaitsOnSource(r)).ToList();
        return new Readiness(
            inScope.Count(r => r.Status is GapStatus.Ok or GapStatus.NotApplicable),
            inScope.Count,
            waiting.Count,
            waiting.Select(r => EvidenceKinds.SourceOf(r.Requirement.Kind)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList());
    }

    public static IReadOnlyList<PlanAction> Build(GapReport report)
    {
        var actions = new List<PlanAction>();
        foreach (var r in report.Requirements)
        {
            if (r.Status is GapStatus.Ok or GapStatus.NotApplicable || WaitsOnSource(r))
            {
                continue;
            }

            var requirement = r.Requirement;
            if (r.Subjects.Count == 0)
            {
                actions.Add(new PlanAction(report.AsOf, ActionKind.Provide, r.Status, requirement.Owner, [requirement.Id], requirement.Controls,
                    ScopeSystems(r), ProvideStep(r), null));
                continue;
            }

            foreach (var s in r.Subjects.Where(s => s.Status is not (GapStatus.Ok or GapStatus.NotApplicable)))
            {
                var (kind, due, step) = s.Status switch
                {
                    GapStatus.Failing => (ActionKind.Fix, report.AsOf, s.Reason.Contains(s.DisplayName, StringComparison.Ordinal)
                        ? $"fix: {TrimEnd(s.Reason)}"
                        : $"fix: {TrimEnd(s.Reason)} in {s.DisplayName}"),
                    GapStatus.Stale => (ActionKind.Renew, report.AsOf, RenewStep(r, s, "stale since")),
                    GapStatus.CollectorError => (ActionKind.Repair, report.AsOf, $"repair the {EvidenceKinds.SourceOf(requirement.Kind)} collection of {s.DisplayName}: {TrimEnd(s.Reason)}"),
                    GapStatus.Expiring => (ActionKind.RenewBeforeAudit, s.FreshUntil ?? report.AsOf, RenewStep(r, s, "fresh until")),
                    _ => (ActionKind.Provide, report.AsOf, ProvideStep(r)),
                };
                var systems = s.AiSystems.Count > 0 ? s.AiSystems : ScopeSystems(r);
                actions.Add(new PlanAction(due, kind, s.Status, requirement.Owner, [requirement.Id], requirement.Controls, systems, step, s.ItemId));
            }
        }

        // One action per unconfigured family, however many requirements wait on it.
        foreach (var family in report.Requirements.Where(WaitsOnSource).GroupBy(r => EvidenceKinds.SourceOf(r.Requirement.Kind), StringComparer.Ordinal))
        {
            var owners = family.Select(r => r.Requirement.Owner).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            var names = report.Sources.Where(s => string.Equals(s.Family, family.Key, StringComparison.OrdinalIgnoreCase)).Select(s => s.Name).ToList();
            var which = names.Count switch
            {
                0 => $"the {family.Key} source",
                1 => $"the {names[0]} source",
                _ => $"one of the {string.Join(", ", names.SkipLast(1))} or {names[^1]} sources",
            };
            var count = family.Count();
            actions.Add(new PlanAction(report.AsOf, ActionKind.ConfigureSource, GapStatus.Missing, string.Join(", ", owners),
                family.Select(r => r.Requirement.Id).Order(StringComparer.Ordinal).ToList(),
                family.SelectMany(r => r.Requirement.Controls).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                family.SelectMany(ScopeSystems).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                $"configure {which} ({count} requirement{(count == 1 ? "" : "s")} wait{(count == 1 ? "s" : "")} on it)", null));
        }

        return actions
            .OrderBy(a => a.Due)
            .ThenBy(a => a.Kind)
            .ThenBy(a => a.Owner, StringComparer.Ordinal)
            .ThenBy(a => a.RequirementIds[0], StringComparer.Ordinal)
            .ThenBy(a => a.NextStep, StringComparer.Ordinal)
            .ToList();
    }

    private static IReadOnlyList<string> ScopeSystems(RequirementResult r) => r.Requirement.Scope.AiSystem is { } system ? [system] : [];

    private static string ProvideStep(RequirementResult r)
    {
        var requirement = r.Requirement;
        if (requirement.Kind == EvidenceKinds.Document)
        {
            var type = requirement.Scope.Facts.GetValueOrDefault("documentType") is { } t ? t.Replace('-', ' ') : "required";
            return $"upload the approved {type} document{ForSystem(requirement.Scope.AiSystem)} to the documents folder";
        }

        return $"collect {requirement.Kind} evidence for {requirement.Scope}: check the {EvidenceKinds.SourceOf(requirement.Kind)} source reaches it, then run 'aims collect'";
    }

    private static string RenewStep(RequirementResult r, SubjectResult s, string when)
    {
        var date = s.FreshUntil is { } until ? $" ({when} {IO.Timestamps.Day(until)})" : "";
        return r.Requirement.Kind == EvidenceKinds.Document
            ? $"review and re-approve '{s.DisplayName}'{date}, then upload the new version"
            : $"collect {r.Requirement.Kind} for {s.DisplayName} again{date}: run 'aims collect'";
    }

    private static string ForSystem(string? system) => system is null ? "" : $" for {system}";

    private static string TrimEnd(string reason) => reason.TrimEnd('.', ' ');
}
