using Aims.Evidence.Collection;
using Aims.Functions.Hosting;
using Aims.Functions.Invocation;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>CollectEvidence</c> (queue trigger on <c>collect-jobs</c>): runs one job. Redelivery is harmless: item ids are
/// deterministic and the store is create-only. It fails the invocation only for errors a retry can fix (network,
/// throttling, 5xx, storage contention), so the host retries and finally moves the message to
/// <c>collect-jobs-poison</c>; any other failure is recorded as collector-error evidence and acknowledged.
/// </summary>
public static class CollectEvidenceFunction
{
    public const string Name = "CollectEvidence";
    public const string TriggerBinding = "job";
    public const string Queue = "collect-jobs";

    public static IEndpointConventionBuilder MapCollectEvidence(this IEndpointRouteBuilder app) => app.MapFunction(Name, RunAsync);

    internal static async Task<InvocationResult> RunAsync(FunctionsRuntime runtime, InvocationRequest invocation, InvocationLog log, CancellationToken cancellationToken)
    {
        CollectionJob job;
        try
        {
            job = QueueMessage.DecodeJob(invocation.Binding(TriggerBinding));
        }
        catch (FormatException ex)
        {
            log.Error($"Message {invocation.MessageId ?? "(no id)"} on {Queue} is not a collection job and is dropped: {ex.Message}");
            await MalformedMessages.RecordAsync(runtime, invocation, Queue, ex.Message, cancellationToken).ConfigureAwait(false);
            log.Info("Recorded the dropped message as collector-error evidence of source Functions.");
            return InvocationResult.Ok(log);
        }

        var delivery = $"job {job.JobId} of {job.RunId} ({job.Source}), delivery {invocation.DequeueCount}";
        try
        {
            var outcome = await runtime.Pipeline.RunJobAsync(job, recordFailure: false, cancellationToken).ConfigureAwait(false);
            var checkpoints = await runtime.Pipeline.CheckpointLedgerAsync(cancellationToken).ConfigureAwait(false);
            log.Info($"Collected {delivery}: {outcome.Created} new item(s), {outcome.AlreadyStored} already stored, {outcome.Errors} collector error(s), {checkpoints} ledger checkpoint(s) signed.");
            if (outcome.Failure is not null)
            {
                log.Warning($"{delivery}: {outcome.Failure}");
            }

            return InvocationResult.Ok(log);
        }
        catch (Exception ex) when (TransientFailure.IsTransient(ex, cancellationToken))
        {
            log.Warning($"{delivery} failed with a transient error; the host will deliver it again: {ex.Message}");
            return InvocationResult.Retry(log, ex.Message);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            log.Error($"{delivery} failed: {ex.Message}. Recording it as collector-error evidence (a retry cannot fix it).");
            await runtime.Pipeline.RecordJobFailureAsync(job, ex.Message, cancellationToken).ConfigureAwait(false);
            return InvocationResult.Ok(log);
        }
    }
}
