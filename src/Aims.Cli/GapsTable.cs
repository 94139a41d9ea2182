using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;

namespace Aims.Cli;

/// <summary>
/// <c>aims gaps</c> as a plain-text table with headers, one row per requirement of each control, that fits the
/// given width: ids and statuses stay whole, requirement and owner are cut with "…" when space is short, and the
/// reason takes what is left, wrapped so nothing of it is lost.
/// </summary>
internal static class GapsTable
{
    /// <summary>The reason column never gets narrower than this; it wraps instead of being cut.</summary>
    private const int MinReason = 10;

    public static async Task WriteAsync(TextWriter output, GapReport report, int width)
    {
        var view = new DigestView(report);
        var sb = new StringBuilder();
        var asOf = report.AsOf.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        AppendWrapped(sb, $"{report.Organization}: evidence gaps as of {asOf}{(report.AiSystemFilter is { } filter ? $", AI system {filter}" : "")}", width);
        AppendWrapped(sb, $"Next audit: {view.NextAuditText}", width);
        AppendWrapped(sb, $"Readiness: {view.Readiness.Text}", width);
        AppendWrapped(sb, $"Not configured: {view.Readiness.NotConfiguredText}", width);
        AppendWrapped(sb, "Controls: " + string.Join("  ", report.ControlCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Key).Select(c => $"{c.Key.ToName()}: {c.Value}")), width);
        sb.Append('\n');

        var rows = new List<string[]>();
        foreach (var control in report.Controls.OrderByDescending(c => c.Status))
        {
            var first = true;
            foreach (var r in control.Requirements.OrderByDescending(r => r.Status).ThenBy(r => r.Requirement.Id, StringComparer.Ordinal))
            {
                rows.Add([first ? control.Control.Id : "", r.Status.ToName(), r.Requirement.Id, r.Requirement.Owner, DigestPlan.ShortReason(r)]);
                first = false;
            }

            if (first)
            {
                rows.Add([control.Control.Id, control.Status.ToName(), "", "", "no requirement names this control"]);
            }
        }

        // A control's status is its most urgent requirement's: the first row of each control shows it.
        AppendTable(sb, ["CONTROL", "STATUS", "REQUIREMENT", "OWNER", "REASON"], rows, width);

        var systems = new List<string[]>();
        foreach (var system in report.AiSystems)
        {
            var first = true;
            foreach (var r in system.RequiredRecords.Concat(system.Requirements).OrderByDescending(r => r.Status).ThenBy(r => r.Requirement.Id, StringComparer.Ordinal))
            {
                systems.Add([first ? system.System.Id : "", r.Status.ToName(), r.Requirement.Id, r.Requirement.Owner, DigestPlan.ShortReason(r)]);
                first = false;
            }
        }

        if (systems.Count > 0)
        {
            sb.Append('\n');
            AppendTable(sb, ["AI SYSTEM", "STATUS", "REQUIREMENT", "OWNER", "REASON"], systems, width);
        }

        foreach (var finding in report.UnregisteredAi)
        {
            AppendWrapped(sb, $"Unregistered AI: {finding.Name} ({finding.SubjectKey}) found in {finding.FoundIn}: {finding.Reason}", width);
        }

        await output.WriteAsync(sb.ToString()).ConfigureAwait(false);
    }

    private static void AppendTable(StringBuilder sb, string[] headers, IReadOnlyList<string[]> rows, int width)
    {
        var widths = Fit(headers, rows, width);
        AppendRow(sb, headers, widths);
        foreach (var row in rows)
        {
            AppendRow(sb, row, widths);
        }
    }

    /// <summary>
    /// Column widths: the first five as wide as their content (requirement and owner capped so the reason keeps at
    /// about a quarter of the width), the reason whatever is left of <paramref name="width"/>.
    /// </summary>
    internal static int[] Fit(string[] headers, IReadOnlyList<string[]> rows, int width)
    {
        var widths = headers.Select((h, i) => Math.Max(h.Length, rows.Select(r => r[i].Length).DefaultIfEmpty(0).Max())).ToArray();
        var fixedColumns = widths.Length - 1;
        int Used() => widths.Take(fixedColumns).Sum() + (2 * fixedColumns);
        // Shrink the widest of requirement/owner first until the reason has room; ids and statuses stay whole.
        var reason = Math.Max(MinReason, width / 4);
        while (width - Used() < reason && (widths[2] > headers[2].Length || widths[3] > headers[3].Length))
        {
            var column = widths[2] - headers[2].Length >= widths[3] - headers[3].Length ? 2 : 3;
            widths[column]--;
        }

        widths[^1] = Math.Max(MinReason, width - Used());
        return widths;
    }

    /// <summary>One row: the first columns cut to their width with "…", the reason wrapped onto as many lines as it needs.</summary>
    private static void AppendRow(StringBuilder sb, string[] cells, int[] widths)
    {
        var indent = widths.Take(widths.Length - 1).Sum() + (2 * (widths.Length - 1));
        var line = new StringBuilder();
        for (var i = 0; i < cells.Length - 1; i++)
        {
            line.Append(Cut(cells[i], widths[i]).PadRight(widths[i] + 2));
        }

        var reason = Wrap(cells[^1], widths[^1]);
        sb.Append((line + reason[0]).TrimEnd()).Append('\n');
        foreach (var more in reason.Skip(1))
        {
            sb.Append(new string(' ', indent)).Append(more).Append('\n');
        }
    }

    private static List<string> Wrap(string text, int width)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var rest = word;
            while (rest.Length > width)
            {
                if (line.Length > 0)
                {
                    lines.Add(line.ToString());
                    line.Clear();
                }

                lines.Add(rest[..width]);
                rest = rest[width..];
            }

            if (line.Length > 0 && line.Length + 1 + rest.Length > width)
            {
                lines.Add(line.ToString());
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : "").Append(rest);
        }

        lines.Add(line.ToString());
        return lines;
    }

    /// <summary>Breaks a sentence at spaces so no line is wider than <paramref name="width"/>; continuation lines are indented.</summary>
    internal static void AppendWrapped(StringBuilder sb, string text, int width)
    {
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                sb.Append(line).Append('\n');
                line.Clear().Append("  ");
            }

            line.Append(line.ToString().Trim().Length == 0 ? "" : " ").Append(Cut(word, width - 2));
        }

        sb.Append(line).Append('\n');
    }

    private static string Cut(string text, int width) => text.Length <= width ? text : string.Concat(text.AsSpan(0, Math.Max(0, width - 1)), "…");
}
