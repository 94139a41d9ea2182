using Aims.Evidence.Gaps;

namespace Aims.Functions.Notifications;

/// <summary>What every channel sends: the analysis, its renderings, and where the full HTML digest can be opened.</summary>
public sealed record DigestMessage(GapReport Report, string Markdown, string Html, Uri? HtmlLink)
{
    /// <summary>The subject line / issue title. Stable across runs, so the GitHub channel finds its issue again.</summary>
    public string Title => $"{Report.Organization}: AIMS evidence-gap digest";

    /// <summary>The requirements most in need of work: most urgent status first, then the nearest owner and id.</summary>
    public IReadOnlyList<RequirementResult> MostUrgent(int count) =>
        Report.Requirements
            .Where(r => r.Status is not (GapStatus.Ok or GapStatus.NotApplicable))
            .OrderByDescending(r => r.Status)
            .ThenBy(r => r.Requirement.Owner, StringComparer.Ordinal)
            .ThenBy(r => r.Requirement.Id, StringComparer.Ordinal)
            .Take(count)
            .ToList();

    /// <summary>Counts of controls per status, most urgent first, zeros left out.</summary>
    public IReadOnlyList<KeyValuePair<GapStatus, int>> ControlCounts =>
        Report.ControlCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Key).ToList();
}
