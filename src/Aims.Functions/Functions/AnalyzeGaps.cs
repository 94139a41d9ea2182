using System.Text;
using Aims.Evidence.Gaps;
using Aims.Functions.Events;
using Aims.Functions.Hosting;
using Aims.Functions.Notifications;
using Aims.Functions.Runs;
using Aims.Pipeline.Hosting;
using Aims.Reporting.Digest;
using Microsoft.Azure.Functions.Worker;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>AnalyzeGaps</c> (queue trigger on <c>analyze-runs</c>, queued by the job completing a run or by the safety net):
/// analyses stored evidence, writes the digest (<c>reports/digests/{date}.*</c> and <c>reports/digests/latest.*</c>,
/// the layout the CLI uses too), publishes run-completed and gap-changed events when Service Bus is configured, and
/// sends the digest to every configured channel. A failing channel is logged; it never stops the others.
/// </summary>
public sealed partial class AnalyzeGaps(FunctionsRuntime runtime, DigestArchive digests, IRunEvents events, ILogger<AnalyzeGaps> logger)
{
    public const string Name = "AnalyzeGaps";

    [Function(Name)]
    public async Task RunAsync([QueueTrigger(QueueNames.AnalyzeRuns, Connection = AppSettingNames.Storage)] string message, CancellationToken cancellationToken)
    {
        AnalysisRequest request;
        try
        {
            request = AnalysisRequest.Parse(message);
        }
        catch (FormatException ex)
        {
            // Nothing to retry: analyse anyway (the digest is as of now), and say why.
            LogUnreadable(logger, ex.Message);
            request = new AnalysisRequest("(unknown run)", "unreadable message");
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = request.RunId });
        var asOf = runtime.Time.GetUtcNow();
        var report = await runtime.Pipeline.AnalyzeAsync(asOf, cancellationToken: cancellationToken).ConfigureAwait(false);
        var counts = string.Join(", ", report.ControlCounts.Where(c => c.Value > 0).OrderByDescending(c => c.Key).Select(c => $"{c.Key.ToName()} {c.Value}"));
        LogAnalysed(logger, request.RunId, request.Reason, report.Controls.Count, counts, report.CollectorProblems.Count);

        var view = await digests.PublishAsync(report, cancellationToken).ConfigureAwait(false);

        var snapshot = GapSnapshot.Of(report);
        var changes = snapshot.ChangesSince(await GapSnapshot.ReadAsync(runtime.Store, cancellationToken).ConfigureAwait(false));
        if (events.Enabled)
        {
            var published = RunEventFactory.Create(request.RunId, request.Reason, report, changes, asOf);
            await events.PublishAsync(published, cancellationToken).ConfigureAwait(false);
            LogEvents(logger, published.Count, changes.Count);
        }

        // Written after the events went out: a failed publish is retried with the same changes.
        await snapshot.WriteAsync(runtime.Store, cancellationToken).ConfigureAwait(false);
        await NotifyAsync(view with { EvidenceLink = _ => null }, cancellationToken).ConfigureAwait(false);
    }

    private async Task NotifyAsync(DigestView view, CancellationToken cancellationToken)
    {
        var notifier = DigestNotifier.FromSettings(runtime);
        if (notifier.Channels.Count == 0)
        {
            LogNoChannel(logger);
            return;
        }

        var markdown = await RenderAsync(view, DigestFormat.Markdown, cancellationToken).ConfigureAwait(false);
        var html = await RenderAsync(view, DigestFormat.Html, cancellationToken).ConfigureAwait(false);
        var dated = view.Report.AsOf.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var digest = new DigestMessage(view.Report, markdown, html, DigestLinks.HtmlLink(runtime, dated));
        foreach (var outcome in await notifier.SendAsync(digest, cancellationToken).ConfigureAwait(false))
        {
            if (outcome.Succeeded)
            {
                LogSent(logger, outcome.Channel, outcome.Detail);
            }
            else
            {
                LogChannelFailed(logger, outcome.Channel, outcome.Detail);
            }
        }
    }

    private static async Task<string> RenderAsync(DigestView view, DigestFormat format, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        await DigestWriter.WriteAsync(view, format, buffer, cancellationToken).ConfigureAwait(false);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    [LoggerMessage(EventId = 4040, Level = LogLevel.Information, Message = "Run {RunId} analysed ({Reason}): {Controls} controls ({Counts}); {Problems} collector problem(s)")]
    private static partial void LogAnalysed(ILogger logger, string runId, string reason, int controls, string counts, int problems);

    [LoggerMessage(EventId = 4041, Level = LogLevel.Error, Message = "An analyze-runs message is unreadable ({Reason}); analysing as of now")]
    private static partial void LogUnreadable(ILogger logger, string reason);

    [LoggerMessage(EventId = 4042, Level = LogLevel.Information, Message = "Published {Events} event(s) to Service Bus ({Changes} gap change(s))")]
    private static partial void LogEvents(ILogger logger, int events, int changes);

    [LoggerMessage(EventId = 4043, Level = LogLevel.Information, Message = "No notification channel is configured (Aims:Notifications); the digest is only stored")]
    private static partial void LogNoChannel(ILogger logger);

    [LoggerMessage(EventId = 4044, Level = LogLevel.Information, Message = "{Channel}: {Detail}")]
    private static partial void LogSent(ILogger logger, string channel, string detail);

    [LoggerMessage(EventId = 4045, Level = LogLevel.Error, Message = "{Channel} failed: {Detail}")]
    private static partial void LogChannelFailed(ILogger logger, string channel, string detail);
}
