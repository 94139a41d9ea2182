using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Functions.Hosting;
using Aims.Pipeline;

namespace Aims.Functions.Jobs;

/// <summary>
/// A queue message that is not a collection job cannot be retried into shape, so it is acknowledged; to keep it from
/// vanishing it is logged as an error and recorded as <c>collector-error</c> evidence of source <c>Functions</c>
/// (subject: the message), through the pipeline's recorder, which the gap digest lists with every other collector problem.
/// </summary>
public sealed partial class MalformedMessages(FunctionsRuntime runtime, ILogger<MalformedMessages> logger)
{
    public const string SourceName = "Functions";

    public async Task RecordAsync(string queue, string? messageId, long dequeueCount, string message, string reason, CancellationToken cancellationToken)
    {
        var pipeline = runtime.Pipeline;
        var at = runtime.Time.GetUtcNow();
        var id = string.IsNullOrWhiteSpace(messageId) ? CanonicalJson.Sha256Hex(message)[..16] : messageId;
        LogDropped(logger, id, queue, reason);
        var job = new CollectionJob(EvidencePipeline.RunIdFor(at), $"functions:{queue}:{id}", SourceName, pipeline.Settings.PeriodFor(at), new Dictionary<string, string>());
        var recorder = pipeline.RecorderFor(job, new CollectorIdentity("functions", queue, "Aims.Functions", EvidencePipeline.CollectorVersion));
        var facts = new JsonObject
        {
            ["queue"] = queue,
            ["messageId"] = id,
            ["dequeueCount"] = dequeueCount,
            ["message"] = message.Length <= 300 ? message : message[..300] + "…",
        };
        await recorder.ReportErrorAsync(
            new Subject("queue-message", id, $"{queue} message {id}"),
            EvidenceKinds.CollectorError,
            $"queue:{queue}/{id}",
            $"the message is not a collection job and was dropped: {reason}",
            facts,
            cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4014, Level = LogLevel.Error, Message = "Message {MessageId} on {Queue} is not a collection job and is dropped (recorded as collector-error evidence of source Functions): {Reason}")]
    private static partial void LogDropped(ILogger logger, string messageId, string queue, string reason);
}
