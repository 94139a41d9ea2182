using Aims.Evidence.Gaps;

namespace Aims.Reporting.Digest;

/// <summary>Requirements one owner answers for, most urgent first.</summary>
public sealed record OwnerSection(string Owner, GapStatus Status, IReadOnlyList<RequirementResult> Requirements);

/// <summary>One requirement as it stands for one AI system: the status of that system's subjects only.</summary>
public sealed record AiSystemRequirement(RequirementResult Requirement, GapStatus Status, IReadOnlyList<SubjectResult> Subjects);

/// <summary>The requirements that concern one AI system (its subjects carry the system's id), most urgent first.</summary>
public sealed record AiSystemSection(string AiSystem, GapStatus Status, IReadOnlyList<AiSystemRequirement> Requirements)
{
    /// <summary>The inventory entry, when the organization keeps an inventory.</summary>
    public Aims.Evidence.Inventory.AiSystem? Entry { get; init; }

    /// <summary>Heading text: name, id, risk class and lifecycle stage when the inventory is known.</summary>
    public string Heading => Entry is { } e ? $"{e.Name} ({e.Id}): {e.RiskClass} risk, {e.Lifecycle}" : AiSystem;
}

/// <summary>
/// A <see cref="GapReport"/> arranged the way every digest format presents it: most urgent first, grouped by
/// owner, by control and by AI system. The formats differ in markup only, so they never disagree on order.
/// </summary>
public sealed record DigestView
{
    public DigestView(GapReport report)
    {
        Report = report;
        Controls = report.Controls.OrderByDescending(c => c.Status).ToList();
        Requirements = report.Requirements
            .OrderByDescending(r => r.Status)
            .ThenBy(r => r.Requirement.Id, StringComparer.Ordinal)
            .ToList();
        Owners = Requirements
            .GroupBy(r => r.Requirement.Owner, StringComparer.Ordinal)
            .Select(g => new OwnerSection(g.Key, GapStatusNames.Worst(g.Select(r => r.Status)), g.ToList()))
            .OrderByDescending(o => o.Status)
            .ThenBy(o => o.Owner, StringComparer.Ordinal)
            .ToList();
        AiSystems = report.AiSystems.Count > 0 ? FromInventory(report.AiSystems) : BuildAiSystems(Requirements);
        Plan = DigestPlan.Build(report);
        Readiness = DigestPlan.Readiness(report);
        DaysUntilNextAudit = report.NextAudit is { } next
            ? (int)(next.UtcDateTime.Date - report.AsOf.UtcDateTime.Date).TotalDays
            : null;
    }

    public GapReport Report { get; }

    /// <summary>Every action due before the next audit, earliest first.</summary>
    public IReadOnlyList<PlanAction> Plan { get; }

    public Readiness Readiness { get; }

    /// <summary>What changed since the previous digest of the same scope; null when there is no previous digest.</summary>
    public DigestChanges? Changes { get; init; }

    /// <summary>The recent digests of the same scope, oldest first, this one last; empty when no history is kept.</summary>
    public IReadOnlyList<DigestSnapshot> Trend { get; init; } = [];

    /// <summary>A link to an evidence item (e.g. its file in a folder store), or null where none can be given.</summary>
    public Func<string, string?> EvidenceLink { get; init; } = _ => null;

    /// <summary>The Annex A controls grouped by domain (A.2 … A.10), in catalog order.</summary>
    public IReadOnlyList<IGrouping<string, ControlResult>> AnnexADomains =>
        Report.Controls.Where(c => c.Control.Type == Aims.Evidence.Catalog.ControlType.AnnexA).GroupBy(c => c.Control.Group, StringComparer.Ordinal).ToList();

    /// <summary>The actions for the first screen: the first <paramref name="count"/> by due date.</summary>
    public IReadOnlyList<PlanAction> FirstActions(int count) => Plan.Take(count).ToList();

    /// <summary>Controls by status, most urgent first; catalog order within a status.</summary>
    public IReadOnlyList<ControlResult> Controls { get; }

    /// <summary>Requirements by status, most urgent first; by id within a status.</summary>
    public IReadOnlyList<RequirementResult> Requirements { get; }

    public IReadOnlyList<OwnerSection> Owners { get; }

    public IReadOnlyList<AiSystemSection> AiSystems { get; }

    /// <summary>Calendar days (UTC) from the analysis date to the next audit, or null when no audit is scheduled.</summary>
    public int? DaysUntilNextAudit { get; }

    /// <summary>Statuses from most to least urgent, the order counts are shown in.</summary>
    public static IReadOnlyList<GapStatus> StatusesByUrgency { get; } = Enum.GetValues<GapStatus>().OrderDescending().ToArray();

    public string Title => Report.AiSystemFilter is { } system
        ? $"Evidence-gap digest: {Report.Organization}, AI system {system}"
        : $"Evidence-gap digest: {Report.Organization}";

    public string NextAuditText => Report.NextAudit is { } next
        ? $"{IO.Timestamps.Day(next)} (in {DaysUntilNextAudit} day{(DaysUntilNextAudit == 1 ? "" : "s")})"
        : "none scheduled";

    /// <summary>AI found in sources but absent from the inventory.</summary>
    public IReadOnlyList<UnregisteredAiFinding> UnregisteredAi => Report.UnregisteredAi;

    /// <summary>One section per inventory entry: its required records first, then what else is attributed to it.</summary>
    private static List<AiSystemSection> FromInventory(IReadOnlyList<AiSystemResult> systems) => systems
        .OrderByDescending(s => s.Status)
        .ThenBy(s => s.System.Id, StringComparer.Ordinal)
        .Select(s => new AiSystemSection(
            s.System.Id,
            s.Status,
            s.RequiredRecords.Concat(s.Requirements)
                .Select(r => new AiSystemRequirement(r, r.Status, r.Subjects))
                .OrderByDescending(r => r.Status)
                .ThenBy(r => r.Requirement.Requirement.Id, StringComparer.Ordinal)
                .ToList())
        { Entry = s.System })
        .ToList();

    private static List<AiSystemSection> BuildAiSystems(IReadOnlyList<RequirementResult> requirements)
    {
        var systems = requirements
            .SelectMany(r => r.Subjects)
            .SelectMany(s => s.AiSystems)
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal);
        var sections = new List<AiSystemSection>();
        foreach (var system in systems)
        {
            var rows = new List<AiSystemRequirement>();
            foreach (var requirement in requirements)
            {
                var subjects = requirement.Subjects.Where(s => s.AiSystems.Contains(system, StringComparer.OrdinalIgnoreCase)).ToList();
                if (subjects.Count == 0)
                {
                    continue;
                }

                // A waiver applies to every AI system alike.
                var status = requirement.Status == GapStatus.NotApplicable ? GapStatus.NotApplicable : GapStatusNames.Worst(subjects.Select(s => s.Status));
                rows.Add(new AiSystemRequirement(requirement, status, subjects));
            }

            rows = rows.OrderByDescending(r => r.Status).ThenBy(r => r.Requirement.Requirement.Id, StringComparer.Ordinal).ToList();
            sections.Add(new AiSystemSection(system, GapStatusNames.Worst(rows.Select(r => r.Status)), rows));
        }

        return sections;
    }
}
