using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Reporting.IO;
using static Aims.Reporting.Html.HtmlText;

namespace Aims.Reporting.Html;

/// <summary>The sections of the HTML digest after its first screen. Long lists sit in <c>details</c> so the page stays short.</summary>
internal static class HtmlDigestSections
{
    public static string RequirementAnchor(string id) => "req-" + Encode(id);

    public static string ControlAnchor(string id) => "control-" + Encode(id);

    public static string Changes(DigestView view)
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

    public static string Overview(DigestView view)
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

    public static async Task WriteOwnersAsync(StreamWriter w, DigestView view, CancellationToken cancellationToken)
    {
        await w.WriteAsync("<section aria-labelledby=\"by-owner\">\n<h2 id=\"by-owner\">By owner</h2>\n<p class=\"muted\">Gaps first; rows that are ok or waived are folded.</p>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var owner in view.Owners)
        {
            var gaps = owner.Requirements.Where(r => r.Status is not (GapStatus.Ok or GapStatus.NotApplicable)).ToList();
            var fine = owner.Requirements.Where(r => r.Status is GapStatus.Ok or GapStatus.NotApplicable).ToList();
            var sb = new StringBuilder("<details class=\"owner\"").Append(gaps.Count > 0 ? " open" : "").Append(">\n<summary>").Append(Encode(owner.Owner)).Append(' ')
                .Append(Status(owner.Status)).Append(' ').Append(gaps.Count).Append(" open, ").Append(fine.Count).Append(" ok or waived</summary>\n");
            if (gaps.Count > 0)
            {
                AppendOwnerRows(sb, gaps, $"Open requirements of {owner.Owner}");
            }

            if (fine.Count > 0)
            {
                sb.Append("<details class=\"ok-rows\"><summary>").Append(fine.Count).Append(" ok or waived</summary>\n");
                AppendOwnerRows(sb, fine, $"Requirements of {owner.Owner} that are ok or waived");
                sb.Append("</details>\n");
            }

            sb.Append("</details>\n");
            await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await w.WriteAsync("</section>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    private static void AppendOwnerRows(StringBuilder sb, IReadOnlyList<RequirementResult> rows, string caption)
    {
        sb.Append("<table>\n<caption>").Append(Encode(caption)).Append("</caption>\n<thead><tr><th scope=\"col\">Requirement</th><th scope=\"col\">Status</th><th scope=\"col\">Controls</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
        foreach (var r in rows)
        {
            sb.Append("<tr><th scope=\"row\"><a href=\"#").Append(RequirementAnchor(r.Requirement.Id)).Append("\">").Append(Encode(r.Requirement.Id)).Append("</a></th><td>")
                .Append(Status(r.Status)).Append("</td><td>").Append(Encode(string.Join(", ", r.Requirement.Controls)))
                .Append("</td><td>").Append(Encode(DigestPlan.ShortReason(r))).Append("</td></tr>\n");
        }

        sb.Append("</tbody>\n</table>\n");
    }

    public static string Controls(DigestView view)
    {
        var sb = new StringBuilder()
            .Append("<section aria-labelledby=\"by-control\">\n<h2 id=\"by-control\">By control</h2>\n<details open><summary>")
            .Append(view.Controls.Count).Append(" controls and clause records, most urgent first</summary>\n")
            .Append("<table>\n<caption>Controls and clause records with their requirements</caption>\n<thead><tr><th scope=\"col\">Control</th><th scope=\"col\">Title</th><th scope=\"col\">Type</th><th scope=\"col\">Status</th><th scope=\"col\">Requirements</th></tr></thead>\n<tbody>\n");
        foreach (var c in view.Controls)
        {
            sb.Append("<tr id=\"").Append(ControlAnchor(c.Control.Id)).Append("\"><th scope=\"row\">").Append(Encode(c.Control.Id)).Append("</th><td>").Append(Encode(c.Control.Title))
                .Append("</td><td>").Append(c.Control.TypeName).Append("</td><td>").Append(Status(c.Status)).Append("</td><td>");
            if (c.Requirements.Count == 0)
            {
                sb.Append("no requirement names this control");
            }
            else
            {
                sb.AppendJoin(", ", c.Requirements
                    .OrderByDescending(r => r.Status).ThenBy(r => r.Requirement.Id, StringComparer.Ordinal)
                    .Select(r => $"<a href=\"#{RequirementAnchor(r.Requirement.Id)}\">{Encode(r.Requirement.Id)}</a> ({r.Status.ToName()})"));
            }

            sb.Append("</td></tr>\n");
        }

        return sb.Append("</tbody>\n</table>\n</details>\n</section>\n").ToString();
    }

    public static async Task WriteRequirementsAsync(StreamWriter w, DigestView view, CancellationToken cancellationToken)
    {
        await w.WriteAsync("<section aria-labelledby=\"requirements\">\n<h2 id=\"requirements\">Requirements and their subjects</h2>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
        foreach (var r in view.Requirements)
        {
            var req = r.Requirement;
            var open = r.Status is not (GapStatus.Ok or GapStatus.NotApplicable) && !DigestPlan.WaitsOnSource(r);
            var sb = new StringBuilder()
                .Append("<details id=\"").Append(RequirementAnchor(req.Id)).Append("\" class=\"requirement\"").Append(open ? " open" : "").Append(">\n<summary>")
                .Append(Encode(req.Id)).Append(' ').Append(Status(r.Status)).Append(' ').Append(Encode(DigestPlan.ShortReason(r))).Append("</summary>\n")
                .Append("<dl class=\"facts\">\n")
                .Append("<dt>Owner</dt><dd>").Append(Encode(req.Owner)).Append("</dd>\n")
                .Append("<dt>Controls</dt><dd>").AppendJoin(", ", req.Controls.Select(c => $"<a href=\"#{ControlAnchor(c)}\">{Encode(c)}</a>")).Append("</dd>\n")
                .Append("<dt>Evidence</dt><dd>").Append(Encode(req.Kind)).Append(" over ").Append(Encode(req.Scope.ToString())).Append("</dd>\n")
                .Append("<dt>Freshness</dt><dd>").Append(Encode(req.Freshness.ToString())).Append("</dd>\n");
            if (!r.SourceConfigured)
            {
                sb.Append("<dt>Source</dt><dd>not configured</dd>\n");
            }

            if (r.Waiver is { } waiver)
            {
                sb.Append("<dt>Waiver</dt><dd>").Append(Encode(waiver.Reason)).Append(", until ").Append(Timestamps.Day(waiver.Expires))
                    .Append(waiver.ApprovedBy is { } by ? $", approved by {Encode(by)}" : "").Append("</dd>\n");
            }

            sb.Append("</dl>\n");
            if (r.Subjects.Count == 0)
            {
                sb.Append("<p class=\"muted\">No subjects.</p>\n");
            }
            else
            {
                sb.Append("<table>\n<caption>Subjects of ").Append(Encode(req.Id)).Append("</caption>\n")
                    .Append("<thead><tr><th scope=\"col\">Subject</th><th scope=\"col\">Status</th><th scope=\"col\">Evidence date</th><th scope=\"col\">Observed</th><th scope=\"col\">Fresh until</th><th scope=\"col\">Item</th><th scope=\"col\">Reason</th></tr></thead>\n<tbody>\n");
                foreach (var s in r.Subjects)
                {
                    sb.Append("<tr><th scope=\"row\">").Append(Encode(s.DisplayName));
                    if (s.DisplayName != s.SubjectKey)
                    {
                        sb.Append("<br><span class=\"muted\">").Append(Encode(s.SubjectKey)).Append("</span>");
                    }

                    sb.Append("</th><td>").Append(Status(s.Status)).Append("</td><td>").Append(Timestamps.Day(s.EvidenceDate)).Append("</td><td>").Append(Timestamps.Day(s.ObservedAt))
                        .Append("</td><td>").Append(Timestamps.Day(s.FreshUntil)).Append("</td><td>").Append(s.ItemId is { } item ? HtmlFirstScreen.ItemLink(view, item) : "")
                        .Append("</td><td>").Append(Encode(s.Reason)).Append("</td></tr>\n");
                }

                sb.Append("</tbody>\n</table>\n");
            }

            sb.Append("</details>\n");
            await w.WriteAsync(sb.ToString().AsMemory(), cancellationToken).ConfigureAwait(false);
        }

        await w.WriteAsync("</section>\n".AsMemory(), cancellationToken).ConfigureAwait(false);
    }

    public static string AiSystems(DigestView view)
    {
        var sb = new StringBuilder("<section aria-labelledby=\"by-ai-system\">\n<h2 id=\"by-ai-system\">By AI system</h2>\n");
        if (view.AiSystems.Count == 0)
        {
            sb.Append("<p>No evidence subject is attributed to an AI system yet.</p>\n");
        }

        foreach (var system in view.AiSystems)
        {
            var open = system.Status is not (GapStatus.Ok or GapStatus.NotApplicable);
            sb.Append("<details class=\"ai-system\"").Append(open ? " open" : "").Append(">\n<summary>").Append(Encode(system.Heading)).Append(' ').Append(Status(system.Status)).Append("</summary>\n")
                .Append("<table>\n<caption>Requirements of ").Append(Encode(system.AiSystem)).Append("</caption>\n<thead><tr><th scope=\"col\">Requirement</th><th scope=\"col\">Status</th><th scope=\"col\">Controls</th><th scope=\"col\">Subjects</th></tr></thead>\n<tbody>\n");
            foreach (var row in system.Requirements)
            {
                sb.Append("<tr><th scope=\"row\"><a href=\"#").Append(RequirementAnchor(row.Requirement.Requirement.Id)).Append("\">").Append(Encode(row.Requirement.Requirement.Id))
                    .Append("</a></th><td>").Append(Status(row.Status)).Append("</td><td>").Append(Encode(string.Join(", ", row.Requirement.Requirement.Controls)))
                    .Append("</td><td>").Append(row.Subjects.Count == 0 ? Encode(DigestPlan.ShortReason(row.Requirement)) : Encode(string.Join(", ", row.Subjects.Select(s => $"{s.DisplayName} ({s.Status.ToName()})")))).Append("</td></tr>\n");
            }

            sb.Append("</tbody>\n</table>\n</details>\n");
        }

        sb.Append("</section>\n<section aria-labelledby=\"unregistered-ai\">\n<h2 id=\"unregistered-ai\">Unregistered AI</h2>\n");
        if (view.UnregisteredAi.Count == 0)
        {
            sb.Append("<p>Nothing that looks like AI was found outside the inventory.</p>\n");
        }
        else
        {
            sb.Append("<table>\n<thead><tr><th scope=\"col\">Found</th><th scope=\"col\">Subject</th><th scope=\"col\">Why it looks like AI</th><th scope=\"col\">Where</th></tr></thead>\n<tbody>\n");
            foreach (var finding in view.UnregisteredAi)
            {
                sb.Append("<tr><th scope=\"row\">").Append(Encode(finding.Name)).Append("</th><td>").Append(Encode(finding.SubjectKey))
                    .Append("</td><td>").Append(Encode(finding.Reason)).Append("</td><td>").Append(Encode(finding.FoundIn)).Append("</td></tr>\n");
            }

            sb.Append("</tbody>\n</table>\n");
        }

        return sb.Append("</section>\n").ToString();
    }

    public static string Sources(GapReport report)
    {
        var sb = new StringBuilder("<section aria-labelledby=\"sources\">\n<h2 id=\"sources\">Sources</h2>\n");
        if (report.Sources.Count == 0)
        {
            return sb.Append("<p>No sources are known to this analysis.</p>\n</section>\n").ToString();
        }

        sb.Append("<table>\n<caption>Each source, whether it is configured, and what it needs</caption>\n<thead><tr><th scope=\"col\">Source</th><th scope=\"col\">Family</th><th scope=\"col\">State</th><th scope=\"col\">Detail</th></tr></thead>\n<tbody>\n");
        foreach (var source in report.Sources)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Encode(source.Name)).Append("</th><td>").Append(Encode(source.Family))
                .Append("</td><td>").Append(source.Configured ? "configured" : "<strong>not configured</strong>")
                .Append("</td><td>").Append(Encode(source.Detail)).Append("</td></tr>\n");
        }

        return sb.Append("</tbody>\n</table>\n</section>\n").ToString();
    }

    public static string Problems(DigestView view)
    {
        var report = view.Report;
        var sb = new StringBuilder("<section aria-labelledby=\"collector-problems\">\n<h2 id=\"collector-problems\">Collector problems</h2>\n");
        if (report.CollectorProblems.Count == 0)
        {
            return sb.Append("<p>None: the latest collection of every subject succeeded.</p>\n</section>\n").ToString();
        }

        sb.Append("<table>\n<caption>Subjects whose latest collection failed</caption>\n<thead><tr><th scope=\"col\">Subject</th><th scope=\"col\">Source</th><th scope=\"col\">Kind</th><th scope=\"col\">Observed</th><th scope=\"col\">Error</th><th scope=\"col\">Item</th></tr></thead>\n<tbody>\n");
        foreach (var p in report.CollectorProblems)
        {
            sb.Append("<tr><th scope=\"row\">").Append(Encode(p.SubjectKey)).Append("</th><td>").Append(Encode(p.Source))
                .Append("</td><td>").Append(Encode(p.Kind)).Append("</td><td>").Append(Timestamps.Day(p.ObservedAt))
                .Append("</td><td>").Append(Encode(p.Error)).Append("</td><td>").Append(HtmlFirstScreen.ItemLink(view, p.ItemId)).Append("</td></tr>\n");
        }

        return sb.Append("</tbody>\n</table>\n</section>\n").ToString();
    }
}
