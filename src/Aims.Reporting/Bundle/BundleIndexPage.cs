using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.Html;
using Aims.Reporting.IO;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Bundle;

/// <summary>
/// index.html: a self-contained page that leads an auditor from each control to its requirements and to the evidence
/// files in the bundle (relative links, so it works straight from the extracted folder), and from each AI system to its
/// controls and evidence.
/// </summary>
internal static class BundleIndexPage
{
    public static async Task WriteAsync(
        Stream output,
        BundleRequest request,
        IReadOnlyList<string> controlFilter,
        IReadOnlyList<ControlResult> controls,
        IReadOnlyList<BundleItemRef> items,
        DateTimeOffset createdAt,
        CancellationToken cancellationToken)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        var byControl = items
            .SelectMany(i => i.Controls.Select(c => (Control: c, Item: i)))
            .GroupBy(x => x.Control, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.Select(x => x.Item).ToList(), StringComparer.OrdinalIgnoreCase);

        var title = $"Evidence bundle: {request.Report.Organization}";
        var sb = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(HtmlText.Css).Append("\n</style>\n</head>\n<body>\n")
            .Append("<header>\n<h1>").Append(Encode(title)).Append("</h1>\n<dl class=\"facts\">\n")
            .Append("<dt>Audit period</dt><dd>").Append(Timestamps.Day(request.From)).Append(" to ").Append(Timestamps.Day(request.To)).Append("</dd>\n")
            .Append("<dt>Controls</dt><dd>").Append(controlFilter.Count == 0 ? "all" : Encode(string.Join(", ", controlFilter))).Append("</dd>\n")
            .Append("<dt>AI system</dt><dd>").Append(request.AiSystem is null ? "all" : Encode(request.AiSystem)).Append("</dd>\n")
            .Append("<dt>Evidence items</dt><dd>").Append(Timestamps.Number(items.Count)).Append("</dd>\n")
            .Append("<dt>Statuses as of</dt><dd>").Append(Timestamps.Day(request.Report.AsOf)).Append("</dd>\n")
            .Append("<dt>Created</dt><dd>").Append(Timestamps.Iso(createdAt)).Append(" by ").Append(Encode(request.GeneratorName)).Append(' ').Append(Encode(request.GeneratorVersion)).Append("</dd>\n")
            .Append("</dl>\n<nav aria-label=\"Bundle files\">\n<ul>\n")
            .Append("<li><a href=\"").Append(BundleLayout.Manifest).Append("\">manifest.json</a>: what this bundle holds and how it was made</li>\n")
            .Append("<li><a href=\"").Append(BundleLayout.Sha256Sums).Append("\">SHA256SUMS</a>: check with <code>sha256sum -c SHA256SUMS</code></li>\n")
            .Append("<li><a href=\"").Append(BundleLayout.ControlsCsv).Append("\">controls.csv</a>: controls, statuses and item counts</li>\n")
            .Append("<li><a href=\"").Append(BundleLayout.LedgerEntries).Append("\">ledger/entries.jsonl</a> and <a href=\"")
            .Append(BundleLayout.LedgerReadme).Append("\">how to check the ledger chain</a></li>\n")
            .Append("</ul>\n</nav>\n</header>\n<main>\n<section aria-labelledby=\"controls\">\n<h2 id=\"controls\">Controls</h2>\n");
        await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);

        foreach (var control in controls)
        {
            var controlItems = byControl.GetValueOrDefault(control.Control.Id) ?? [];
            sb.Clear().Append("<h3 id=\"control-").Append(Encode(control.Control.Id)).Append("\">").Append(Encode(control.Control.Id)).Append(' ')
                .Append(Encode(control.Control.Title)).Append(' ').Append(Status(control.Status)).Append("</h3>\n");
            if (control.Requirements.Count == 0 && controlItems.Count == 0)
            {
                sb.Append("<p>No requirement names this control, and the bundle holds no evidence for it.</p>\n");
            }

            foreach (var requirement in control.Requirements)
            {
                var id = requirement.Requirement.Id;
                sb.Append("<h4>Requirement ").Append(Encode(id)).Append(' ').Append(Status(requirement.Status)).Append("</h4>\n")
                    .Append("<p>").Append(Encode(requirement.Reason)).Append(" Owner: ").Append(Encode(requirement.Requirement.Owner)).Append(".</p>\n");
                AppendItems(sb, controlItems.Where(i => i.RequirementIds.Contains(id, StringComparer.Ordinal)).ToList(), $"Evidence for {id} under {control.Control.Id}",
                    "No evidence for this requirement in the bundle.");
            }

            var requirementIds = control.Requirements.Select(r => r.Requirement.Id).ToHashSet(StringComparer.Ordinal);
            var other = controlItems.Where(i => !i.RequirementIds.Any(requirementIds.Contains)).ToList();
            if (other.Count > 0)
            {
                sb.Append("<h4>Other evidence for ").Append(Encode(control.Control.Id)).Append("</h4>\n");
                AppendItems(sb, other, $"Other evidence for {control.Control.Id}", "");
            }

            await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await w.WriteAsync("</section>\n<section aria-labelledby=\"ai-systems\">\n<h2 id=\"ai-systems\">AI systems</h2>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        var systems = items.SelectMany(i => i.AiSystems).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal).ToList();
        if (systems.Count == 0)
        {
            await w.WriteAsync("<p>No evidence in this bundle is attributed to an AI system.</p>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        foreach (var system in systems)
        {
            sb.Clear().Append("<h3>").Append(Encode(system)).Append("</h3>\n");
            foreach (var control in controls)
            {
                var systemItems = (byControl.GetValueOrDefault(control.Control.Id) ?? [])
                    .Where(i => i.AiSystems.Contains(system, StringComparer.OrdinalIgnoreCase)).ToList();
                if (systemItems.Count == 0)
                {
                    continue;
                }

                sb.Append("<h4><a href=\"#control-").Append(Encode(control.Control.Id)).Append("\">").Append(Encode(control.Control.Id)).Append(' ')
                    .Append(Encode(control.Control.Title)).Append("</a></h4>\n");
                AppendItems(sb, systemItems, $"Evidence for {control.Control.Id} about {system}", "");
            }

            await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await w.WriteAsync("</section>\n</main>\n</body>\n</html>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        await w.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    private static void AppendItems(StringBuilder sb, IReadOnlyList<BundleItemRef> items, string caption, string whenEmpty)
    {
        if (items.Count == 0)
        {
            if (whenEmpty.Length > 0)
            {
                sb.Append("<p class=\"muted\">").Append(Encode(whenEmpty)).Append("</p>\n");
            }

            return;
        }

        sb.Append("<table>\n<caption>").Append(Encode(caption)).Append("</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Subject</th><th scope=\"col\">Kind</th><th scope=\"col\">Observed</th><th scope=\"col\">Summary</th><th scope=\"col\">Item</th><th scope=\"col\">Raw payload</th></tr></thead>\n<tbody>\n");
        foreach (var item in items)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Encode(item.DisplayName)).Append("</th><td>").Append(Encode(item.Kind)).Append("</td><td>")
                .Append(Timestamps.Iso(item.ObservedAt)).Append("</td><td>").Append(Encode(item.Summary)).Append("</td><td><a href=\"")
                .Append(Encode(BundleLayout.ItemPath(item.Id))).Append("\"><code>").Append(Encode(item.Id)).Append("</code></a></td><td>");
            if (item.RawSha256 is { } raw)
            {
                sb.Append("<a href=\"").Append(Encode(BundleLayout.RawPath(raw))).Append("\">raw</a>");
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
