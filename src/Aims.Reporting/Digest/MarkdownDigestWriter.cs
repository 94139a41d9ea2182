using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.IO;

namespace Aims.Reporting.Digest;

/// <summary>
/// Writes the digest as GitHub-flavoured Markdown (for an issue, a chat message or a pull request). Text from evidence
/// is escaped so that a <c>|</c> cannot break a table and markup in a title cannot render as HTML or a link.
/// </summary>
public static class MarkdownDigestWriter
{
    public static Task WriteAsync(GapReport report, Stream output, CancellationToken cancellationToken = default) =>
        WriteAsync(new DigestView(report), output, cancellationToken);

    public static async Task WriteAsync(DigestView view, Stream output, CancellationToken cancellationToken = default)
    {
        var report = view.Report;
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);

        var sb = new StringBuilder()
            .Append("# ").Append(Escape(view.Title)).Append("\n\n")
            .Append("- Analysis date: ").Append(Timestamps.Day(report.AsOf)).Append('\n')
            .Append("- Next audit: ").Append(Escape(view.NextAuditText)).Append('\n');
        if (report.AiSystemFilter is { } filter)
        {
            sb.Append("- AI system: ").Append(Escape(filter)).Append(" (only its subjects count)\n");
        }

        AppendFirstScreen(sb, view);
        AppendChanges(sb, view);
        sb.Append("\n## Summary\n\n| Status | Controls | Requirements |\n| --- | ---: | ---: |\n");
        foreach (var status in DigestView.StatusesByUrgency)
        {
            sb.Append("| ").Append(status.ToName()).Append(" | ").Append(Timestamps.Number(report.ControlCounts.GetValueOrDefault(status)))
                .Append(" | ").Append(Timestamps.Number(report.RequirementCounts.GetValueOrDefault(status))).Append(" |\n");
        }

        sb.Append("| total | ").Append(Timestamps.Number(report.Controls.Count)).Append(" | ").Append(Timestamps.Number(report.Requirements.Count)).Append(" |\n");

        sb.Append("\n## Sources\n\n");
        if (report.Sources.Count == 0)
        {
            sb.Append("No sources are known to this analysis.\n");
        }
        else
        {
            sb.Append("| Source | Family | State | Detail |\n| --- | --- | --- | --- |\n");
            foreach (var s in report.Sources)
            {
                sb.Append("| ").Append(Escape(s.Name)).Append(" | ").Append(Escape(s.Family)).Append(" | ")
                    .Append(s.Configured ? "configured" : "**not configured**").Append(" | ").Append(Escape(s.Detail)).Append(" |\n");
            }
        }

        sb.Append("\n## Collector problems\n\n");
        if (report.CollectorProblems.Count == 0)
        {
            sb.Append("None: the latest collection of every subject succeeded.\n");
        }
        else
        {
            sb.Append("| Subject | Source | Kind | Observed | Error | Item |\n| --- | --- | --- | --- | --- | --- |\n");
            foreach (var p in report.CollectorProblems)
            {
                sb.Append("| ").Append(Escape(p.SubjectKey)).Append(" | ").Append(Escape(p.Source)).Append(" | ").Append(Escape(p.Kind))
                    .Append(" | ").Append(Timestamps.Day(p.ObservedAt)).Append(" | ").Append(Escape(p.Error)).Append(" | ").Append(Code(p.ItemId)).Append(" |\n");
            }
        }

        await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);

        await w.WriteAsync("\n## By owner\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var owner in view.Owners)
        {
            sb.Clear().Append("\n### ").Append(Escape(owner.Owner)).Append(" (").Append(owner.Status.ToName()).Append(")\n\n")
                .Append("| Requirement | Status | Controls | Reason |\n| --- | --- | --- | --- |\n");
            foreach (var r in owner.Requirements)
            {
                sb.Append("| ").Append(Escape(r.Requirement.Id)).Append(" | ").Append(r.Status.ToName()).Append(" | ")
                    .Append(Escape(string.Join(", ", r.Requirement.Controls))).Append(" | ").Append(Escape(DigestPlan.ShortReason(r))).Append(" |\n");
            }

            await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        sb.Clear().Append("\n## By control\n\n| Control | Title | Type | Status | Requirements |\n| --- | --- | --- | --- | --- |\n");
        foreach (var c in view.Controls)
        {
            var requirements = c.Requirements.Count == 0
                ? "no requirement names this control"
                : string.Join(", ", c.Requirements.OrderByDescending(r => r.Status).ThenBy(r => r.Requirement.Id, StringComparer.Ordinal)
                    .Select(r => $"{Escape(r.Requirement.Id)} ({r.Status.ToName()})"));
            sb.Append("| ").Append(Escape(c.Control.Id)).Append(" | ").Append(Escape(c.Control.Title)).Append(" | ").Append(c.Control.TypeName)
                .Append(" | ").Append(c.Status.ToName()).Append(" | ").Append(requirements).Append(" |\n");
        }

        await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);

        await w.WriteAsync("\n## Requirements and their subjects\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var r in view.Requirements)
        {
            var req = r.Requirement;
            sb.Clear().Append("\n### ").Append(Escape(req.Id)).Append(" (").Append(r.Status.ToName()).Append(")\n\n")
                .Append(Escape(r.Reason)).Append("\n\n")
                .Append("- Owner: ").Append(Escape(req.Owner)).Append('\n')
                .Append("- Controls: ").Append(Escape(string.Join(", ", req.Controls))).Append('\n')
                .Append("- Evidence: ").Append(Escape(req.Kind)).Append(" over ").Append(Escape(req.Scope.ToString())).Append('\n')
                .Append("- Freshness: ").Append(Escape(req.Freshness.ToString())).Append('\n');
            if (!r.SourceConfigured)
            {
                sb.Append("- Source: not configured\n");
            }

            if (r.Waiver is { } waiver)
            {
                sb.Append("- Waiver: ").Append(Escape(waiver.Reason)).Append(", until ").Append(Timestamps.Day(waiver.Expires))
                    .Append(waiver.ApprovedBy is { } by ? $", approved by {Escape(by)}" : "").Append('\n');
            }

            if (r.Subjects.Count > 0)
            {
                sb.Append("\n| Subject | Status | Observed | Evidence date | Fresh until | Item | Reason |\n| --- | --- | --- | --- | --- | --- | --- |\n");
                foreach (var s in r.Subjects)
                {
                    sb.Append("| ").Append(Escape(s.DisplayName)).Append(" | ").Append(s.Status.ToName()).Append(" | ").Append(Timestamps.Day(s.ObservedAt))
                        .Append(" | ").Append(Timestamps.Day(s.EvidenceDate)).Append(" | ").Append(Timestamps.Day(s.FreshUntil))
                        .Append(" | ").Append(s.ItemId is null ? "" : Code(s.ItemId)).Append(" | ").Append(Escape(s.Reason)).Append(" |\n");
                }
            }

            await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        sb.Clear().Append("\n## By AI system\n");
        if (view.AiSystems.Count == 0)
        {
            sb.Append("\nNo evidence subject is attributed to an AI system yet.\n");
        }

        foreach (var system in view.AiSystems)
        {
            sb.Append("\n### ").Append(Escape(system.Heading)).Append(" (").Append(system.Status.ToName()).Append(")\n\n")
                .Append("| Requirement | Status | Controls | Subjects |\n| --- | --- | --- | --- |\n");
            foreach (var row in system.Requirements)
            {
                sb.Append("| ").Append(Escape(row.Requirement.Requirement.Id)).Append(" | ").Append(row.Status.ToName()).Append(" | ")
                    .Append(Escape(string.Join(", ", row.Requirement.Requirement.Controls))).Append(" | ")
                    .Append(Escape(string.Join(", ", row.Subjects.Select(s => $"{s.DisplayName} ({s.Status.ToName()})")))).Append(" |\n");
            }
        }

        sb.Append("\n## Unregistered AI\n\n");
        if (view.UnregisteredAi.Count == 0)
        {
            sb.Append("Nothing that looks like AI was found outside the inventory.\n");
        }
        else
        {
            sb.Append("| Found | Subject | Why it looks like AI | Where |\n| --- | --- | --- | --- |\n");
            foreach (var finding in view.UnregisteredAi)
            {
                sb.Append("| ").Append(Escape(finding.Name)).Append(" | ").Append(Escape(finding.SubjectKey)).Append(" | ")
                    .Append(Escape(finding.Reason)).Append(" | ").Append(Escape(finding.FoundIn)).Append(" |\n");
            }
        }

        await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
        await w.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The same first screen as the HTML digest: next audit, readiness, unconfigured sources, then the whole plan.</summary>
    private static void AppendFirstScreen(StringBuilder sb, DigestView view)
    {
        sb.Append("- Readiness: ").Append(Escape(view.Readiness.Text)).Append('\n')
            .Append("- Sources not configured: ").Append(Escape(view.Readiness.NotConfiguredText)).Append('\n')
            .Append("\n## The plan\n\n");
        if (view.Plan.Count == 0)
        {
            sb.Append("Nothing to do before the next audit.\n");
            return;
        }

        sb.Append("| Due | Next step | Owner | Requirement | Controls | AI system |\n| --- | --- | --- | --- | --- | --- |\n");
        foreach (var action in view.Plan)
        {
            sb.Append("| ").Append(action.IsOverdue(view.Report.AsOf) ? "now" : Timestamps.Day(action.Due)).Append(" | ").Append(action.Status.ToName()).Append(": ")
                .Append(Escape(action.NextStep)).Append(" | ").Append(Escape(action.Owner)).Append(" | ").Append(Escape(string.Join(", ", action.RequirementIds)))
                .Append(" | ").Append(Escape(string.Join(", ", action.Controls))).Append(" | ")
                .Append(action.AiSystems.Count == 0 ? "all" : Escape(string.Join(", ", action.AiSystems))).Append(" |\n");
        }
    }

    private static void AppendChanges(StringBuilder sb, DigestView view)
    {
        sb.Append("\n## Changed since the previous digest\n\n");
        if (view.Changes is not { } changes)
        {
            sb.Append("No previous digest of this scope is recorded, so there is nothing to compare with yet.\n");
            return;
        }

        sb.Append("Compared with the digest of ").Append(Timestamps.Day(changes.Previous.AsOf)).Append(".\n\n");
        if (changes.Items.Count == 0)
        {
            sb.Append("Nothing changed: every requirement has the same status and the same evidence.\n");
        }

        foreach (var change in changes.Items)
        {
            sb.Append("- ").Append(ChangeTitle(change.Kind)).Append(": ").Append(Escape(change.Text)).Append(" (owner ").Append(Escape(change.Owner)).Append(")\n");
        }

        if (view.Trend.Count > 1)
        {
            sb.Append("\nReadiness trend: ").AppendJoin(", ", view.Trend.Select(t => $"{Timestamps.Day(t.AsOf)} {t.Ready}/{t.InScope}")).Append('\n');
        }
    }

    internal static string ChangeTitle(ChangeKind kind) => kind switch
    {
        ChangeKind.NewlyFailing => "newly failing",
        ChangeKind.NewlyExpiring => "newly expiring",
        ChangeKind.Resolved => "resolved",
        ChangeKind.Improved => "improved",
        _ => "evidence changed",
    };

    /// <summary>
    /// Makes untrusted text inert inside a table cell: pipes and Markdown punctuation are backslash-escaped, angle
    /// brackets become entities (no raw HTML), and line breaks become spaces (a newline would end the row).
    /// </summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "";
        }

        var sb = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            switch (c)
            {
                case '|' or '\\' or '*' or '_' or '`' or '[' or ']' or '#' or '~':
                    sb.Append('\\').Append(c);
                    break;
                case '<':
                    sb.Append("&lt;");
                    break;
                case '>':
                    sb.Append("&gt;");
                    break;
                case '&':
                    sb.Append("&amp;");
                    break;
                case '\r':
                    break;
                case '\n' or '\t':
                    sb.Append(' ');
                    break;
                default:
                    sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    private static string Code(string text) => $"`{text.Replace("`", "", StringComparison.Ordinal)}`";
}
