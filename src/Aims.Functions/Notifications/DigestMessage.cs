using Aims.Evidence.Gaps;

namespace Aims.Functions.Notifications;

/// <summary>What every channel sends: the analysis, its renderings, and where the full HTML digest can be opened.</summary>
public sealed record DigestMessage(GapReport Report, string Markdown, string Html, Uri? HtmlLink)
{
    /// <summary>The subject line / issue title. Stable across runs, so the GitHub channel finds its issue again.</summary>
    public string Title => $"{Report.Organization}: AIMS evidence-gap digest";
}
