using System.Text;
using Aims.Reporting.IO;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Bundle;

/// <summary>
/// The evidence rows of index.html: what the evidence speaks for (evidence date, period covered) apart from when it
/// was observed, where it came from, and links to the item and its raw payload inside the bundle.
/// </summary>
internal sealed class BundleEvidenceTable(IReadOnlyList<BundleItemRef> items)
{
    // The writer stores each payload once, named after the first item that references it: link to that very file.
    private readonly Dictionary<string, string?> _rawMediaTypes = items
        .Where(i => i.RawSha256 is not null)
        .GroupBy(i => i.RawSha256!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().RawMediaType, StringComparer.Ordinal);

    public void Append(StringBuilder sb, IReadOnlyList<BundleItemRef> rows, string caption, string whenEmpty)
    {
        if (rows.Count == 0)
        {
            if (whenEmpty.Length > 0)
            {
                sb.Append("<p class=\"muted\">").Append(Encode(whenEmpty)).Append("</p>\n");
            }

            return;
        }

        sb.Append("<table>\n<caption>").Append(Encode(caption)).Append("</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Subject</th><th scope=\"col\">Kind</th><th scope=\"col\">Evidence date</th><th scope=\"col\">Observed</th>")
            .Append("<th scope=\"col\">Period covered</th><th scope=\"col\">Source</th><th scope=\"col\">Summary</th><th scope=\"col\">Item</th><th scope=\"col\">Raw payload</th></tr></thead>\n<tbody>\n");
        foreach (var item in rows)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Encode(item.DisplayName)).Append("</th><td>").Append(Encode(item.Kind)).Append("</td><td>")
                .Append(item.EvidenceDate is { } date ? Timestamps.Day(date) : "<span class=\"muted\">none recorded</span>").Append("</td><td>")
                .Append("<time datetime=\"").Append(Timestamps.Iso(item.ObservedAt)).Append("\">").Append(Timestamps.Iso(item.ObservedAt)).Append("</time></td><td>")
                .Append(item.Period is { } period ? $"{Timestamps.Day(period.From)} to {Timestamps.Day(period.To)}" : "<span class=\"muted\">not a population</span>").Append("</td><td>")
                .Append(Encode(item.Source)).Append("</td><td>").Append(Encode(item.Summary)).Append("</td><td><a href=\"")
                .Append(Encode(BundleLayout.ItemPath(item.Id))).Append("\"><code>").Append(Encode(item.Id)).Append("</code></a></td><td>");
            if (item.RawSha256 is { } raw && _rawMediaTypes.TryGetValue(raw, out var mediaType))
            {
                sb.Append("<a href=\"").Append(Encode(BundleLayout.RawPath(raw, mediaType))).Append("\">raw (").Append(RawExtensions.For(mediaType).TrimStart('.')).Append(")</a>");
            }
            else
            {
                sb.Append("none");
            }

            sb.Append("</td></tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
    }
}
