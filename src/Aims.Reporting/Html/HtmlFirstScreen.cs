using System.Text;
using Aims.Reporting.Digest;
using Aims.Reporting.IO;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Html;

/// <summary>
/// What a reader sees before scrolling: the next audit, the readiness figure (with unconfigured sources counted on
/// their own line) and the plan, earliest action first. The digest page opens with it and the email sends only it.
/// </summary>
internal static class HtmlFirstScreen
{
    /// <summary>Actions shown in the open table; the rest of the plan is one click away.</summary>
    public const int OpenActions = 8;

    public static string Render(DigestView view, string? requirementHrefPrefix = "#req-")
    {
        var report = view.Report;
        var readiness = view.Readiness;
        var sb = new StringBuilder()
            .Append("<section class=\"first-screen\" aria-labelledby=\"at-a-glance\">\n<h2 id=\"at-a-glance\" class=\"visually-hidden\">At a glance</h2>\n")
            .Append("<dl class=\"glance\">\n")
            .Append("<div><dt>Next audit</dt><dd id=\"next-audit\">").Append(Encode(view.NextAuditText)).Append("</dd></div>\n")
            .Append("<div><dt>Readiness</dt><dd id=\"readiness\">").Append(Encode(readiness.Text)).Append("</dd></div>\n")
            .Append("<div><dt>Sources not configured</dt><dd id=\"not-configured\">").Append(Encode(readiness.NotConfiguredText)).Append("</dd></div>\n")
            .Append("<div><dt>Analysis date</dt><dd><time datetime=\"").Append(Timestamps.Iso(report.AsOf)).Append("\">").Append(Timestamps.Day(report.AsOf)).Append("</time></dd></div>\n")
            .Append("</dl>\n")
            .Append("<h2 id=\"plan\">The plan: ").Append(view.Plan.Count == 0 ? "nothing to do before the next audit" : $"{view.Plan.Count} action{(view.Plan.Count == 1 ? "" : "s")} by due date").Append("</h2>\n");
        if (view.Plan.Count > 0)
        {
            AppendActions(sb, view, view.Plan.Take(OpenActions), "plan-actions", requirementHrefPrefix);
            if (view.Plan.Count > OpenActions)
            {
                sb.Append("<details class=\"more\"><summary>The other ").Append(view.Plan.Count - OpenActions).Append(" actions</summary>\n");
                AppendActions(sb, view, view.Plan.Skip(OpenActions), "plan-more", requirementHrefPrefix);
                sb.Append("</details>\n");
            }
        }

        return sb.Append("</section>\n").ToString();
    }

    private static void AppendActions(StringBuilder sb, DigestView view, IEnumerable<PlanAction> actions, string id, string? requirementHrefPrefix)
    {
        sb.Append("<table id=\"").Append(id).Append("\" class=\"plan\">\n<thead><tr><th scope=\"col\">Due</th><th scope=\"col\">Next step</th><th scope=\"col\">Owner</th>")
            .Append("<th scope=\"col\">Requirement</th><th scope=\"col\">Controls</th><th scope=\"col\">AI system</th></tr></thead>\n<tbody>\n");
        foreach (var action in actions)
        {
            var due = action.IsOverdue(view.Report.AsOf) ? "now" : Timestamps.Day(action.Due);
            sb.Append("<tr><th scope=\"row\" class=\"due\">").Append(due).Append("</th><td>").Append(Status(action.Status)).Append(' ').Append(Encode(action.NextStep));
            if (action.ItemId is { } item)
            {
                sb.Append(" <span class=\"muted\">(item ").Append(ItemLink(view, item)).Append(")</span>");
            }

            sb.Append("</td><td>").Append(Encode(action.Owner)).Append("</td><td>");
            var first = true;
            foreach (var requirement in action.RequirementIds.Take(4))
            {
                sb.Append(first ? "" : ", ");
                first = false;
                sb.Append(requirementHrefPrefix is null ? Encode(requirement) : $"<a href=\"{requirementHrefPrefix}{Encode(requirement)}\">{Encode(requirement)}</a>");
            }

            if (action.RequirementIds.Count > 4)
            {
                sb.Append(" and ").Append(action.RequirementIds.Count - 4).Append(" more");
            }

            sb.Append("</td><td>").Append(Encode(Shorten(action.Controls, 4))).Append("</td><td>")
                .Append(action.AiSystems.Count == 0 ? "all" : Encode(string.Join(", ", action.AiSystems))).Append("</td></tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
    }

    /// <summary>An item id, linked to the evidence when the view knows where it is.</summary>
    public static string ItemLink(DigestView view, string itemId) => view.EvidenceLink(itemId) is { } href
        ? $"<a href=\"{Encode(href)}\"><code>{Encode(itemId)}</code></a>"
        : $"<code>{Encode(itemId)}</code>";

    private static string Shorten(IReadOnlyList<string> values, int max) =>
        values.Count <= max ? string.Join(", ", values) : $"{string.Join(", ", values.Take(max))} and {values.Count - max} more";

    public const string Css = """
        .visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
        dl.glance{display:flex;flex-wrap:wrap;gap:.5rem 2rem;margin:.5rem 0 0}
        dl.glance div{min-width:12rem}
        dl.glance dt{font-weight:600;font-size:.9rem;color:#4a4a4a}
        dl.glance dd{margin:0;font-size:1.15rem;font-weight:600}
        table.plan th.due{white-space:nowrap}
        details{margin:.4rem 0}
        summary{cursor:pointer;font-weight:600}
        nav.toc ol{columns:3;margin:.3rem 0}
        """;
}
