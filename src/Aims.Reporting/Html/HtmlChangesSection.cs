using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Reporting.IO;
using static Aims.Reporting.Html.HtmlDigestSections;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Html;

/// <summary>"Changed since the previous digest": the changes by kind, then the status trend of the kept digests.</summary>
internal static class HtmlChangesSection
{
    public static string Render(DigestView view)
    {
        var sb = new StringBuilder("<section aria-labelledby=\"changes\">\n<h2 id=\"changes\">Changed since the previous digest</h2>\n");
        if (view.Changes is not { } changes)
        {
            sb.Append("<p>No previous digest of this scope is recorded, so there is nothing to compare with yet.</p>\n");
        }
        else
        {
            sb.Append("<p>Compared with the digest of ").Append(Timestamps.Day(changes.Previous.AsOf)).Append(" (made ").Append(Timestamps.Iso(changes.Previous.RecordedAt)).Append(").</p>\n");
            if (changes.Items.Count == 0)
            {
                sb.Append("<p id=\"no-changes\">Nothing changed: every requirement has the same status and the same evidence.</p>\n");
            }

            foreach (var (kind, title) in new[]
            {
                (ChangeKind.NewlyFailing, "Newly failing"), (ChangeKind.NewlyExpiring, "Newly expiring"), (ChangeKind.Resolved, "Resolved"),
                (ChangeKind.Improved, "Improved, still open"), (ChangeKind.EvidenceChanged, "Evidence changed"),
            })
            {
                var items = changes.Of(kind).ToList();
                if (items.Count == 0)
                {
                    continue;
                }

                sb.Append("<h3>").Append(title).Append(" (").Append(items.Count).Append(")</h3>\n<ul class=\"changes change-").Append(kind.ToString().ToLowerInvariant()).Append("\">\n");
                foreach (var change in items)
                {
                    sb.Append("<li><a href=\"#").Append(RequirementAnchor(change.RequirementId)).Append("\">").Append(Encode(change.RequirementId)).Append("</a>");
                    if (change.Subject is { } subject)
                    {
                        sb.Append(": ").Append(Encode(subject));
                    }

                    sb.Append(": ").Append(change.Before is { } before && change.Kind != ChangeKind.EvidenceChanged ? $"{before.ToName()} → " : "")
                        .Append(Status(change.After)).Append(change.Kind == ChangeKind.EvidenceChanged ? " with new evidence" : "")
                        .Append(change.ItemId is { } item ? $" (item {HtmlFirstScreen.ItemLink(view, item)})" : "")
                        .Append(" <span class=\"muted\">owner ").Append(Encode(change.Owner)).Append("</span></li>\n");
                }

                sb.Append("</ul>\n");
            }
        }

        if (view.Trend.Count > 0)
        {
            sb.Append("<h3 id=\"trend\">Status trend</h3>\n<table>\n<caption>Readiness and control statuses of the last ").Append(view.Trend.Count)
                .Append(" digest").Append(view.Trend.Count == 1 ? "" : "s").Append(", oldest first</caption>\n<thead><tr><th scope=\"col\">Digest of</th><th scope=\"col\" class=\"num\">Ready</th>");
            foreach (var status in DigestView.StatusesByUrgency)
            {
                sb.Append("<th scope=\"col\" class=\"num\">").Append(status.ToName()).Append("</th>");
            }

            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var run in view.Trend)
            {
                sb.Append("<tr><th scope=\"row\">").Append(Timestamps.Day(run.AsOf)).Append("</th><td class=\"num\">").Append(run.Ready).Append(" of ").Append(run.InScope).Append("</td>");
                foreach (var status in DigestView.StatusesByUrgency)
                {
                    sb.Append("<td class=\"num\">").Append(run.ControlCounts.GetValueOrDefault(status)).Append("</td>");
                }

                sb.Append("</tr>\n");
            }

            sb.Append("</tbody>\n</table>\n");
        }

        return sb.Append("</section>\n").ToString();
    }
}
