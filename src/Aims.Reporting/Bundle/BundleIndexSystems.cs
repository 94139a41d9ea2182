using System.Text;
using Aims.Evidence.Gaps;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Bundle;

/// <summary>
/// The AI systems part of index.html: for each system, what is missing or not ok (its required records and the
/// requirements attributed to it), then the evidence the bundle holds about it, by control.
/// </summary>
internal static class BundleIndexSystems
{
    public static async Task WriteAsync(StreamWriter w, BundleRequest request, IReadOnlyList<ControlResult> controls,
        BundleItemSpool items, CancellationToken cancellationToken)
    {
        await w.WriteAsync("<section aria-labelledby=\"ai-systems\">\n<h2 id=\"ai-systems\">AI systems</h2>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        var inventory = request.Report.AiSystems.ToDictionary(s => s.System.Id, StringComparer.OrdinalIgnoreCase);
        var systems = inventory.Keys
            .Concat(items.AiSystems)
            .Where(s => request.AiSystem is null || string.Equals(s, request.AiSystem, StringComparison.OrdinalIgnoreCase))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
        if (systems.Count == 0)
        {
            await w.WriteAsync("<p>No AI system inventory is configured and no evidence in this bundle is attributed to an AI system.</p>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        var sb = new StringBuilder();
        foreach (var system in systems)
        {
            sb.Clear();
            var entry = inventory.GetValueOrDefault(system);
            sb.Append("<h3 id=\"system-").Append(Encode(system)).Append("\">")
                .Append(entry is null ? Encode(system) : $"{Encode(entry.System.Name)} ({Encode(system)})")
                .Append(entry is null ? "" : " " + Status(entry.Status)).Append("</h3>\n");
            AppendMissing(sb, system, entry, controls.Select(c => c.Control.Id).ToHashSet(StringComparer.OrdinalIgnoreCase));

            sb.Append("<h4>Evidence in this bundle</h4>\n");
            var any = false;
            foreach (var control in controls)
            {
                var systemItems = items.ForRecordedControl(control.Control.Id).Where(i => i.AiSystems.Contains(system, StringComparer.OrdinalIgnoreCase));
                var heading = $"<h5><a href=\"#{BundleIndexPage.Anchor(control.Control.Id)}\">{Encode(control.Control.Id)} {Encode(control.Control.Title)}</a></h5>\n";
                any |= await BundleEvidenceTable.AppendAsync(w, sb, systemItems, $"Evidence for {control.Control.Id} about {system}", "", heading, cancellationToken).ConfigureAwait(false);
            }

            if (!any)
            {
                sb.Append("<p class=\"muted\">None: no item in this bundle is attributed to ").Append(Encode(system)).Append(".</p>\n");
            }

            await w.WriteAsync(sb, cancellationToken).ConfigureAwait(false);
        }

        await w.WriteAsync("</section>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    private static void AppendMissing(StringBuilder sb, string system, AiSystemResult? entry, HashSet<string> inBundle)
    {
        sb.Append("<h4>Missing or not ok</h4>\n");
        if (entry is null)
        {
            sb.Append("<p>").Append(Encode(system)).Append(" is not in the AI system inventory, so its required records cannot be checked.</p>\n");
            return;
        }

        var open = entry.RequiredRecords.Select(r => (Required: true, Result: r))
            .Concat(entry.Requirements.Select(r => (Required: false, Result: r)))
            .Where(r => r.Result.Status is not (GapStatus.Ok or GapStatus.NotApplicable))
            .OrderByDescending(r => r.Result.Status)
            .ThenBy(r => r.Result.Requirement.Id, StringComparer.Ordinal)
            .ToList();
        if (open.Count == 0)
        {
            sb.Append("<p>Nothing: every required record and attributed requirement is ok or waived.</p>\n");
            return;
        }

        sb.Append("<table>\n<caption>What ").Append(Encode(system)).Append(" still lacks</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Requirement</th><th scope=\"col\">Status</th><th scope=\"col\">Controls</th><th scope=\"col\">Why</th></tr></thead>\n<tbody>\n");
        foreach (var (required, result) in open)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Encode(result.Requirement.Id)).Append(required ? " <span class=\"muted\">(required record)</span>" : "")
                .Append("</th><td>").Append(Status(result.Status)).Append("</td><td>")
                .AppendJoin(", ", result.Requirement.Controls.Select(c => inBundle.Contains(c) ? $"<a href=\"#{BundleIndexPage.Anchor(c)}\">{Encode(c)}</a>" : Encode(c)))
                .Append("</td><td>").Append(Encode(Digest.DigestPlan.ShortReason(result))).Append("</td></tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
    }
}
