using System.Globalization;
using System.Text;

namespace Aims.Bench.Entra;

/// <summary>The results as markdown tables, ready for docs/benchmarks.md.</summary>
internal static class Report
{
    public static string Markdown(BenchOptions options, IReadOnlyList<RunResult> runs)
    {
        var first = runs[0];
        var text = new StringBuilder();
        text.AppendLine("| run | Graph requests | of the first run | wall time | items stored | collector errors |");
        text.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: |");
        foreach (var run in runs)
        {
            text.AppendLine(Invariant($"| {run.Name} | {run.Total:N0} | {Percent(run.Total, first.Total)} | {run.Wall.TotalSeconds:0.0} s | {run.Items:N0} | {run.Errors} |"));
        }

        text.AppendLine();
        text.AppendLine("Requests (and wall time) per job:");
        text.AppendLine();
        text.AppendLine($"| job | {string.Join(" | ", runs.Select(r => r.Name))} | re-run / first run |");
        text.AppendLine($"| --- |{string.Concat(runs.Select(_ => " ---: |"))} ---: |");
        foreach (var job in first.ByJob.Keys)
        {
            var cells = runs.Select(r => Invariant($"{r.ByJob.GetValueOrDefault(job):N0} ({r.JobTime.GetValueOrDefault(job).TotalSeconds:0.0} s)"));
            text.AppendLine($"| `{job}` | {string.Join(" | ", cells)} | {Percent(runs[^1].ByJob.GetValueOrDefault(job), first.ByJob[job])} |");
        }

        text.AppendLine();
        text.AppendLine("Requests per endpoint:");
        text.AppendLine();
        text.AppendLine($"| endpoint | {string.Join(" | ", runs.Select(r => r.Name[..2].TrimEnd('.')))} |");
        text.AppendLine($"| --- |{string.Concat(runs.Select(_ => " ---: |"))}");
        foreach (var endpoint in runs.SelectMany(r => r.ByEndpoint.Keys).Distinct().Order(StringComparer.Ordinal))
        {
            text.AppendLine($"| `{endpoint}` | {string.Join(" | ", runs.Select(r => r.ByEndpoint.GetValueOrDefault(endpoint).ToString("N0", CultureInfo.InvariantCulture)))} |");
        }

        return text.ToString();
    }

    private static string Percent(int part, int whole) => whole == 0 ? "n/a" : Invariant($"{100.0 * part / whole:0.0}%");

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
