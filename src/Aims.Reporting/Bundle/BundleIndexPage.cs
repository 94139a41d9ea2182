using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.Html;
using Aims.Reporting.IO;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Bundle;

/// <summary>
/// index.html: a self-contained page for the auditor. It opens with the audit period, the organization, the signature
/// status and an index of every control and clause record in the bundle (status and evidence count), each linking
/// to its section; the sections list the evidence files with relative links (so the page works straight from the
/// extracted folder), and each AI system shows what is missing as well as what exists.
/// </summary>
internal static class BundleIndexPage
{
    public static async Task WriteAsync(
        Stream output,
        BundleRequest request,
        IReadOnlyList<string> controlFilter,
        IReadOnlyList<ControlResult> controls,
        BundleItemSpool items,
        DateTimeOffset createdAt,
        BundleIndexExtras extras,
        CancellationToken cancellationToken)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 16 * 1024, leaveOpen: true);
        await w.WriteAsync(Header(request, controlFilter, items.Count, createdAt, extras).AsMemory(), cancellationToken).ConfigureAwait(false);
        await w.WriteAsync(ControlIndex(controls, items).AsMemory(), cancellationToken).ConfigureAwait(false);

        await w.WriteAsync("<section aria-labelledby=\"controls\">\n<h2 id=\"controls\">Controls and their evidence</h2>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        var sb = new StringBuilder();
        foreach (var control in controls)
        {
            var controlItems = items.ForRecordedControl(control.Control.Id);
            sb.Clear().Append("<section id=\"").Append(Anchor(control.Control.Id)).Append("\" class=\"control\" aria-labelledby=\"h-").Append(Anchor(control.Control.Id)).Append("\">\n")
                .Append("<h3 id=\"h-").Append(Anchor(control.Control.Id)).Append("\">").Append(Encode(control.Control.Id)).Append(' ')
                .Append(Encode(control.Control.Title)).Append(' ').Append(Status(control.Status)).Append("</h3>\n");
            if (control.Requirements.Count == 0 && controlItems.Count == 0)
            {
                sb.Append("<p>No requirement names this control, and the bundle holds no evidence for it.</p>\n");
            }

            foreach (var requirement in control.Requirements)
            {
                var id = requirement.Requirement.Id;
                sb.Append("<h4>Requirement ").Append(Encode(id)).Append(' ').Append(Status(requirement.Status)).Append("</h4>\n")
                    .Append("<p>").Append(Encode(Digest.DigestPlan.ShortReason(requirement))).Append(" Owner: ").Append(Encode(requirement.Requirement.Owner)).Append(".</p>\n");
                await BundleEvidenceTable.AppendAsync(w, sb, controlItems.Where(i => i.RequirementIds.Contains(id, StringComparer.Ordinal)), $"Evidence for {id} under {control.Control.Id}",
                    "No evidence for this requirement in the bundle.", null, cancellationToken).ConfigureAwait(false);
            }

            var requirementIds = control.Requirements.Select(r => r.Requirement.Id).ToHashSet(StringComparer.Ordinal);
            await BundleEvidenceTable.AppendAsync(w, sb, controlItems.Where(i => !i.RequirementIds.Any(requirementIds.Contains)), $"Other evidence for {control.Control.Id}", "",
                $"<h4>Other evidence for {Encode(control.Control.Id)}</h4>\n", cancellationToken).ConfigureAwait(false);

            sb.Append("<p><a href=\"#control-index\">Back to the control index</a></p>\n</section>\n");
            await w.WriteAsync(sb, cancellationToken).ConfigureAwait(false);
        }

        await w.WriteAsync("</section>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        await BundleIndexSystems.WriteAsync(w, request, controls, items, cancellationToken).ConfigureAwait(false);
        await w.WriteAsync("</main>\n</body>\n</html>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        await w.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public static string Anchor(string controlId) => "control-" + Encode(controlId);

    private static string Header(BundleRequest request, IReadOnlyList<string> controlFilter, int itemCount, DateTimeOffset createdAt, BundleIndexExtras extras)
    {
        var title = $"Evidence bundle: {request.Report.Organization}";
        var sb = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append("</title>\n<style>\n").Append(HtmlText.Css).Append("\n</style>\n</head>\n<body>\n")
            .Append("<header>\n<h1>").Append(Encode(title)).Append("</h1>\n<dl class=\"facts\">\n")
            .Append("<dt>Organization</dt><dd id=\"organization\">").Append(Encode(request.Report.Organization)).Append("</dd>\n")
            .Append("<dt>Audit period</dt><dd id=\"audit-period\">").Append(Timestamps.Day(request.From)).Append(" to ").Append(Timestamps.Day(request.To)).Append("</dd>\n")
            .Append("<dt>Signature</dt><dd id=\"signature\">")
            .Append(extras.SignatureStatus is { } signature ? Encode(signature) : "not signed: check the files against SHA256SUMS and the ledger chain (links below)")
            .Append("</dd>\n")
            .Append("<dt>Controls</dt><dd>").Append(controlFilter.Count == 0 ? "all" : Encode(string.Join(", ", controlFilter))).Append("</dd>\n")
            .Append("<dt>AI system</dt><dd>").Append(request.AiSystem is null ? "all" : Encode(request.AiSystem)).Append("</dd>\n")
            .Append("<dt>Evidence items</dt><dd>").Append(Timestamps.Number(itemCount)).Append("</dd>\n")
            .Append("<dt>Statuses as of</dt><dd>").Append(Timestamps.Day(request.Report.AsOf)).Append("</dd>\n")
            .Append("<dt>Created</dt><dd>").Append(Timestamps.Iso(createdAt)).Append(" by ").Append(Encode(request.GeneratorName)).Append(' ').Append(Encode(request.GeneratorVersion)).Append("</dd>\n")
            .Append("</dl>\n<nav aria-label=\"Bundle files\">\n<ul>\n");
        foreach (var link in extras.TopLinks)
        {
            sb.Append("<li><a href=\"").Append(Encode(link.Path)).Append("\">").Append(Encode(link.Text)).Append("</a>: ").Append(Encode(link.Description)).Append("</li>\n");
        }

        return sb
            .Append("<li><a href=\"").Append(BundleLayout.Manifest).Append("\">manifest.json</a>: what this bundle holds and how it was made</li>\n")
            .Append("<li><a href=\"").Append(BundleLayout.Sha256Sums).Append("\">SHA256SUMS</a>: check with <code>sha256sum -c SHA256SUMS</code></li>\n")
            .Append("<li><a href=\"").Append(BundleLayout.ControlsCsv).Append("\">controls.csv</a>: controls, statuses and item counts</li>\n")
            .Append("<li><a href=\"").Append(BundleLayout.LedgerEntries).Append("\">ledger/entries.jsonl</a> and <a href=\"")
            .Append(BundleLayout.LedgerReadme).Append("\">how to check the ledger chain</a></li>\n")
            .Append("<li><a href=\"#ai-systems\">AI systems: what exists and what is missing</a></li>\n")
            .Append("</ul>\n</nav>\n</header>\n<main>\n")
            .ToString();
    }

    private static string ControlIndex(IReadOnlyList<ControlResult> controls, BundleItemSpool items)
    {
        var sb = new StringBuilder()
            .Append("<section aria-labelledby=\"control-index\">\n<h2 id=\"control-index\">Control index</h2>\n")
            .Append("<table class=\"control-index\">\n<caption>").Append(controls.Count).Append(" controls and clause records: status and evidence items in this bundle</caption>\n")
            .Append("<thead><tr><th scope=\"col\">Control</th><th scope=\"col\">Title</th><th scope=\"col\">Status</th><th scope=\"col\" class=\"num\">Evidence items</th></tr></thead>\n<tbody>\n");
        foreach (var control in controls)
        {
            sb.Append("<tr><th scope=\"row\"><a href=\"#").Append(Anchor(control.Control.Id)).Append("\">").Append(Encode(control.Control.Id)).Append("</a></th><td>")
                .Append(Encode(control.Control.Title)).Append("</td><td>").Append(Status(control.Status)).Append("</td><td class=\"num\">")
                .Append(Timestamps.Number(items.ForRecordedControl(control.Control.Id).Count)).Append("</td></tr>\n");
        }

        return sb.Append("</tbody>\n</table>\n</section>\n").ToString();
    }
}
