using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Functions.Hosting;
using Aims.Functions.Invocation;
using Aims.Pipeline;

namespace Aims.Functions.Functions;

/// <summary>
/// A queue message that is not a collection job cannot be retried into shape, so it is acknowledged; to keep it from
/// vanishing it is logged as an error and recorded as <c>collector-error</c> evidence of source <c>Functions</c>
/// (subject: the message), which the gap digest lists with every other collector problem.
/// </summary>
internal static class MalformedMessages
{
    public const string SourceName = "Functions";

    public static async Task RecordAsync(FunctionsRuntime runtime, InvocationRequest invocation, string queue, string reason, CancellationToken cancellationToken)
    {
        var pipeline = runtime.Pipeline;
        var at = invocation.HostUtcNow ?? runtime.Time.GetUtcNow();
        var messageId = invocation.MessageId ?? invocation.InvocationId;
        var job = new CollectionJob(
            EvidencePipeline.RunIdFor(at),
            $"functions:{queue}:{messageId}",
            SourceName,
            pipeline.Settings.PeriodFor(at),
            new Dictionary<string, string>());
        var recorder = new EvidenceRecorder(pipeline.Store, job, new CollectorIdentity("functions", queue, "Aims.Functions", EvidencePipeline.CollectorVersion), pipeline.Requirements, pipeline.Time);
        var facts = new JsonObject
        {
            ["queue"] = queue,
            ["messageId"] = messageId,
            ["dequeueCount"] = invocation.DequeueCount,
            ["message"] = Excerpt(invocation.Data[invocation.FunctionName == ProcessPoisonFunction.Name ? ProcessPoisonFunction.TriggerBinding : CollectEvidenceFunction.TriggerBinding]),
        };
        await recorder.ReportErrorAsync(
            new Subject("queue-message", messageId, $"{queue} message {messageId}"),
            EvidenceKinds.CollectorError,
            $"queue:{queue}/{messageId}",
            $"the message is not a collection job and was dropped: {reason}",
            facts,
            cancellationToken).ConfigureAwait(false);
    }

    private static string Excerpt(JsonNode? value)
    {
        var text = value is JsonValue v && v.TryGetValue<string>(out var s) ? s : value?.ToJsonString() ?? "";
        return text.Length <= 300 ? text : text[..300] + "…";
    }
}
