using System.Text;
using Aims.Reporting.IO;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Bundle;

/// <summary>
/// The evidence rows of index.html: what the evidence speaks for (evidence date, period covered) apart from when it
/// was observed, where it came from, and links to the item and its raw payload inside the bundle.
/// </summary>
internal static class BundleEvidenceTable
{
    /// <summary>
    /// Writes the rows as they are enumerated (read back from the bundle's spool), flushing <paramref name="sb"/> to
    /// <paramref name="w"/> as it fills, so a table of any length takes a few KB. <paramref name="heading"/> comes before the
    /// table when it has rows; with none, <paramref name="whenEmpty"/> is said instead. Returns whether there were rows.
    /// </summary>
    public static async Task<bool> AppendAsync(TextWriter w, StringBuilder sb, IEnumerable<BundleItemRef> rows, string caption, string whenEmpty, string? heading, CancellationToken cancellationToken)
    {
        var any = false;
        foreach (var item in rows)
        {
            if (!any)
            {
                any = true;
                sb.Append(heading).Append("<table>\n<caption>").Append(Encode(caption)).Append("</caption>\n")
                    .Append("<thead><tr><th scope=\"col\">Subject</th><th scope=\"col\">Kind</th><th scope=\"col\">Evidence date</th><th scope=\"col\">Observed</th>")
                    .Append("<th scope=\"col\">Period covered</th><th scope=\"col\">Source</th><th scope=\"col\">Summary</th><th scope=\"col\">Item</th><th scope=\"col\">Raw payload</th></tr></thead>\n<tbody>\n");
            }

            AppendRow(sb, item);
            if (sb.Length > 32 * 1024)
            {
                await w.WriteAsync(sb, cancellationToken).ConfigureAwait(false);
                sb.Clear();
            }
        }

        if (any)
        {
            sb.Append("</tbody>\n</table>\n");
        }
        else if (whenEmpty.Length > 0)
        {
            sb.Append("<p class=\"muted\">").Append(Encode(whenEmpty)).Append("</p>\n");
        }

        return any;
    }

    private static void AppendRow(StringBuilder sb, BundleItemRef item)
    {
        sb.Append("<tr><th scope=\"row\">").Append(Encode(item.DisplayName)).Append("</th><td>").Append(Encode(item.Kind)).Append("</td><td>")
            .Append(item.EvidenceDate is { } date ? Timestamps.Day(date) : "<span class=\"muted\">none recorded</span>").Append("</td><td>")
            .Append("<time datetime=\"").Append(Timestamps.Iso(item.ObservedAt)).Append("\">").Append(Timestamps.Iso(item.ObservedAt)).Append("</time></td><td>")
            .Append(item.Period is { } period ? $"{Timestamps.Day(period.From)} to {Timestamps.Day(period.To)}" : "<span class=\"muted\">not a population</span>").Append("</td><td>")
            .Append(Encode(item.Source)).Append("</td><td>").Append(Encode(item.Summary)).Append("</td><td><a href=\"")
            .Append(Encode(BundleLayout.ItemPath(item.Id))).Append("\"><code>").Append(Encode(item.Id)).Append("</code></a></td><td>");

        // The writer stores each payload once, named after the first item that references it; the reference carries that name's media type.
        if (item.RawSha256 is { } raw)
        {
            sb.Append("<a href=\"").Append(Encode(BundleLayout.RawPath(raw, item.RawMediaType))).Append("\">raw (").Append(RawExtensions.For(item.RawMediaType).TrimStart('.')).Append(")</a>");
        }
        else
        {
            sb.Append("none");
        }

        sb.Append("</td></tr>\n");
    }
}
