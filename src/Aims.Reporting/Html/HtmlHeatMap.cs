using System.Globalization;
using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Html;

/// <summary>
/// The Annex A controls as an inline SVG grid, one row per domain. Each cell carries its control id and status as
/// text (colour only repeats it) and links to the control's section, so keyboard and screen-reader users get the
/// same map as everyone else.
/// </summary>
internal static class HtmlHeatMap
{
    private const int LabelWidth = 280;
    private const int CellWidth = 112;
    private const int CellHeight = 46;
    private const int Gap = 4;

    public static string Svg(DigestView view, Func<string, string> controlAnchor)
    {
        var domains = view.AnnexADomains;
        var columns = Math.Max(1, domains.Select(d => d.Count()).DefaultIfEmpty(1).Max());
        var width = LabelWidth + (columns * (CellWidth + Gap));
        var height = domains.Count * (CellHeight + Gap);
        var sb = new StringBuilder()
            .Append("<svg id=\"heat-map\" class=\"heat-map\" role=\"group\" aria-labelledby=\"heat-map-title\" viewBox=\"0 0 ")
            .Append(N(width)).Append(' ').Append(N(height)).Append("\" width=\"").Append(N(width)).Append("\" height=\"").Append(N(height))
            .Append("\">\n")
            .Append("<title id=\"heat-map-title\">Annex A controls by domain, each with its status</title>\n");
        var y = 0;
        foreach (var domain in domains)
        {
            sb.Append("<text class=\"hm-domain\" x=\"0\" y=\"").Append(N(y + (CellHeight / 2) + 5)).Append("\">")
                .Append(Encode(AnnexADomains.Name(domain.Key))).Append("</text>\n");
            var x = LabelWidth;
            foreach (var control in domain)
            {
                var status = control.Status.ToName();
                // The accessible name starts with the visible text (id, status), then adds the title.
                var label = $"{control.Control.Id} {status}: {control.Control.Title}";
                sb.Append("<a href=\"#").Append(controlAnchor(control.Control.Id)).Append("\" data-control=\"").Append(Encode(control.Control.Id))
                    .Append("\" data-status=\"").Append(status).Append("\" aria-label=\"").Append(Encode(label)).Append("\">")
                    .Append("<rect class=\"hm-").Append(status).Append("\" x=\"").Append(N(x)).Append("\" y=\"").Append(N(y))
                    .Append("\" width=\"").Append(N(CellWidth)).Append("\" height=\"").Append(N(CellHeight)).Append("\" rx=\"4\"/>")
                    .Append("<text class=\"hm-id hm-t-").Append(status).Append("\" x=\"").Append(N(x + 6)).Append("\" y=\"").Append(N(y + 19)).Append("\">")
                    .Append(Encode(control.Control.Id)).Append("</text> ")
                    .Append("<text class=\"hm-status hm-t-").Append(status).Append("\" x=\"").Append(N(x + 6)).Append("\" y=\"").Append(N(y + 38)).Append("\">")
                    .Append(status).Append("</text></a>\n");
                x += CellWidth + Gap;
            }

            y += CellHeight + Gap;
        }

        return sb.Append("</svg>\n").ToString();
    }

    /// <summary>Fill and text colours per status: the same pairs as the status boxes, each above 7:1.</summary>
    public const string Css = """
        .heat-map{max-width:100%;height:auto;font-family:inherit}
        .hm-domain{font-size:15px;font-weight:600;fill:#1a1a1a}
        .hm-id{font-size:15px;font-weight:700}
        .hm-status{font-size:13px}
        .heat-map a:focus rect{stroke:#0645ad;stroke-width:3}
        .heat-map rect{stroke:#8a8a8a;stroke-width:1}
        .hm-missing{fill:#fde2e2}.hm-t-missing{fill:#7a0000}
        .hm-failing{fill:#ffe7d9}.hm-t-failing{fill:#7a1f00}
        .hm-stale{fill:#fff0c7}.hm-t-stale{fill:#5e3600}
        .hm-collector-error{fill:#efe6fb}.hm-t-collector-error{fill:#4b1f7a}
        .hm-expiring{fill:#fff8d1}.hm-t-expiring{fill:#4f4000}
        .hm-ok{fill:#def5e5}.hm-t-ok{fill:#0b4f1c}
        .hm-not-applicable{fill:#ededed}.hm-t-not-applicable{fill:#333}
        """;

    private static string N(int value) => value.ToString(CultureInfo.InvariantCulture);
}
