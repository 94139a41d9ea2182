using System.Globalization;
using System.Text;
using Aims.Evidence.Gaps;
using Aims.Functions.Hosting;
using Aims.Functions.Invocation;
using Aims.Functions.Notifications;
using Aims.Reporting.Digest;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>AnalyzeGaps</c> (timer): analyses stored evidence, writes the digest to the store
/// (<c>reports/digest/latest.{json,md,html}</c> and a dated copy <c>reports/digest/{yyyy-MM-dd}.*</c>) and sends it to
/// every configured channel. A failing channel is logged and reported; it never stops the others.
/// </summary>
public static class AnalyzeGapsFunction
{
    public const string Name = "AnalyzeGaps";
    public const string TriggerBinding = "tick";

    public static IEndpointConventionBuilder MapAnalyzeGaps(this IEndpointRouteBuilder app) => app.MapFunction(Name, RunAsync);

    internal static async Task<InvocationResult> RunAsync(FunctionsRuntime runtime, InvocationRequest invocation, InvocationLog log, CancellationToken cancellationToken)
    {
        var asOf = invocation.HostUtcNow ?? runtime.Time.GetUtcNow();
        var report = await runtime.Pipeline.AnalyzeAsync(asOf, cancellationToken: cancellationToken).ConfigureAwait(false);
        log.Info($"Analysed {report.Controls.Count} controls as of {asOf:yyyy-MM-dd}: " +
            string.Join(", ", report.ControlCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Key).Select(c => $"{c.Key.ToName()} {c.Value}")) +
            $"; {report.CollectorProblems.Count} collector problem(s).");

        var rendered = new Dictionary<DigestFormat, byte[]>();
        var dated = asOf.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        foreach (var format in Enum.GetValues<DigestFormat>())
        {
            using var buffer = new MemoryStream();
            await DigestWriter.WriteAsync(report, format, buffer, cancellationToken).ConfigureAwait(false);
            rendered[format] = buffer.ToArray();
            foreach (var name in new[] { $"digest/latest.{format.FileExtension()}", $"digest/{dated}.{format.FileExtension()}" })
            {
                using var content = new MemoryStream(rendered[format], writable: false);
                await runtime.Store.PutReportAsync(name, content, cancellationToken).ConfigureAwait(false);
            }
        }

        log.Info($"Wrote the digest to reports/digest/latest.{{json,md,html}} and reports/digest/{dated}.* in {runtime.Store.Description}.");

        var notifier = DigestNotifier.FromSettings(runtime);
        if (notifier.Channels.Count == 0)
        {
            log.Info("No notification channel is configured (Aims:Notifications); the digest is only stored.");
            return InvocationResult.Ok(log);
        }

        var digest = new DigestMessage(report, Encoding.UTF8.GetString(rendered[DigestFormat.Markdown]), Encoding.UTF8.GetString(rendered[DigestFormat.Html]),
            DigestLinks.HtmlLink(runtime, dated));
        foreach (var outcome in await notifier.SendAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            if (outcome.Succeeded)
            {
                log.Info($"{outcome.Channel}: {outcome.Detail}.");
            }
            else
            {
                log.Error($"{outcome.Channel} failed: {outcome.Detail}");
            }
        }

        return InvocationResult.Ok(log);
    }
}
