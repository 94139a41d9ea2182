using System.Text;
using Aims.Reporting.Digest;
using Aims.Reporting.IO;
using static Aims.Reporting.Html.HtmlDigestSections;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Html;

/// <summary>The overview: the Annex A heat map, the counts per status, and AI systems against their required records.</summary>
internal static class HtmlOverviewSection
{
    public static string Render(DigestView view)
    {
        var report = view.Report;
        var sb = new StringBuilder("<section aria-labelledby=\"overview\">\n<h2 id=\"overview\">Overview</h2>\n")
            .Append("<h3 id=\"heat-map-heading\">Annex A controls by domain</h3>\n")
            .Append("<p class=\"muted\">Each cell is one control with its status; select it for the control's requirements.</p>\n")
            .Append(HtmlHeatMap.Svg(view, ControlAnchor))
            .Append("<h3 id=\"summary\">Summary</h3>\n<table>\n<caption>Controls and requirements per status, most urgent first</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">Controls</th><th scope=\"col\" class=\"num\">Requirements</th></tr></thead>\n<tbody>\n");
        foreach (var status in DigestView.StatusesByUrgency)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Status(status)).Append("</th><td class=\"num\">")
                .Append(Timestamps.Number(report.ControlCounts.GetValueOrDefault(status))).Append("</td><td class=\"num\">")
                .Append(Timestamps.Number(report.RequirementCounts.GetValueOrDefault(status))).Append("</td></tr>\n");
        }

        sb.Append("<tr><th scope=\"row\">total</th><td class=\"num\">").Append(Timestamps.Number(report.Controls.Count))
            .Append("</td><td class=\"num\">").Append(Timestamps.Number(report.Requirements.Count)).Append("</td></tr>\n</tbody>\n</table>\n");

        sb.Append("<h3 id=\"records-matrix\">AI systems and their required records</h3>\n");
        var records = report.AiSystems.SelectMany(s => s.RequiredRecords).Select(r => r.Requirement.Id).Distinct(StringComparer.Ordinal).ToList();
        if (records.Count == 0)
        {
            sb.Append("<p>No AI system inventory with required records is configured.</p>\n");
        }
        else
        {
            sb.Append("<table class=\"matrix\">\n<caption>Status of each required record per AI system</caption>\n<thead><tr><th scope=\"col\">AI system</th>");
            foreach (var record in records)
            {
                sb.Append("<th scope=\"col\"><a href=\"#").Append(RequirementAnchor(record)).Append("\">").Append(Encode(record)).Append("</a></th>");
            }

            sb.Append("</tr></thead>\n<tbody>\n");
            foreach (var system in report.AiSystems.OrderByDescending(s => s.Status).ThenBy(s => s.System.Id, StringComparer.Ordinal))
            {
                sb.Append("<tr><th scope=\"row\">").Append(Encode(system.System.Name)).Append(" <span class=\"muted\">(").Append(Encode(system.System.Id)).Append(")</span></th>");
                foreach (var record in records)
                {
                    var row = system.RequiredRecords.FirstOrDefault(r => r.Requirement.Id == record);
                    sb.Append("<td>").Append(row is null ? "not required" : Status(row.Status)).Append("</td>");
                }

                sb.Append("</tr>\n");
            }

            sb.Append("</tbody>\n</table>\n");
        }

        return sb.Append("</section>\n").ToString();
    }
}
