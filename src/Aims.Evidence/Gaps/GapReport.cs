using Aims.Evidence.Checks;
using Aims.Evidence.Requirements;

namespace Aims.Evidence.Gaps;

/// <summary>One subject's standing against a requirement.</summary>
public sealed record SubjectResult(
    string SubjectKey,
    string DisplayName,
    IReadOnlyList<string> AiSystems,
    GapStatus Status,
    string Reason,
    string? ItemId,
    DateTimeOffset? ObservedAt,
    DateTimeOffset? EvidenceDate,
    DateTimeOffset? FreshUntil,
    IReadOnlyList<CheckResult> Checks);

/// <summary>A requirement's status with the reason and the subjects behind it.</summary>
public sealed record RequirementResult(
    Requirement Requirement,
    GapStatus Status,
    string Reason,
    IReadOnlyList<SubjectResult> Subjects,
    Waiver? Waiver,
    bool SourceConfigured)
{
    /// <summary>
    /// In an analysis for one AI system: the requirement concerns the whole organization (not a required record of the
    /// system, no evidence attributed to it), so its status is the organization's.
    /// </summary>
    public bool OrganizationWide { get; init; }
}

/// <summary>A control's status: the most urgent of its requirements' and of every AI system's results for them.</summary>
public sealed record ControlResult(Catalog.Control Control, GapStatus Status, IReadOnlyList<RequirementResult> Requirements)
{
    /// <summary>Per AI system with results under this control, the worst of them.</summary>
    public IReadOnlyDictionary<string, GapStatus> AiSystems { get; init; } = new Dictionary<string, GapStatus>();
}

/// <summary>A collector failure, as recorded in the index.</summary>
public sealed record CollectorProblem(string Kind, string SubjectKey, string ItemId, DateTimeOffset ObservedAt, string Error, string Source);

/// <summary>Per-source configuration state, so an unconfigured source is reported, never silently skipped.</summary>
public sealed record SourceState(string Family, string Name, bool Configured, string Detail);

/// <summary>The gap analysis of one organization at one date.</summary>
public sealed record GapReport(
    string Organization,
    DateTimeOffset AsOf,
    DateTimeOffset? NextAudit,
    string? AiSystemFilter,
    IReadOnlyList<ControlResult> Controls,
    IReadOnlyList<RequirementResult> Requirements,
    IReadOnlyList<CollectorProblem> CollectorProblems,
    IReadOnlyList<SourceState> Sources)
{
    /// <summary>Per AI system of the inventory (empty when there is no inventory).</summary>
    public IReadOnlyList<AiSystemResult> AiSystems { get; init; } = [];

    /// <summary>AI found in sources but absent from the inventory.</summary>
    public IReadOnlyList<UnregisteredAiFinding> UnregisteredAi { get; init; } = [];

    public IReadOnlyDictionary<GapStatus, int> ControlCounts =>
        Enum.GetValues<GapStatus>().ToDictionary(s => s, s => Controls.Count(c => c.Status == s));

    public IReadOnlyDictionary<GapStatus, int> RequirementCounts =>
        Enum.GetValues<GapStatus>().ToDictionary(s => s, s => Requirements.Count(c => c.Status == s));
}

/// <summary>One AI system's standing: its required records and every requirement with evidence attributed to it.</summary>
public sealed record AiSystemResult(Inventory.AiSystem System, GapStatus Status, IReadOnlyList<RequirementResult> RequiredRecords, IReadOnlyList<RequirementResult> Requirements);

/// <summary>Something that looks like AI in a source but belongs to no inventory entry (shadow AI, A.4.2).</summary>
public sealed record UnregisteredAiFinding(string Kind, string SubjectKey, string Name, string FoundIn, string Reason, string ItemId);
