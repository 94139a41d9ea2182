using Aims.Evidence.Collection;
using Aims.Functions.Hosting;
using Aims.Functions.Invocation;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>ProcessPoison</c> (queue trigger on <c>collect-jobs-poison</c>): a job the host gave up on after its last
/// delivery becomes collector-error evidence for every kind of its source, so the digest shows it.
/// </summary>
public static class ProcessPoisonFunction
{
    public const string Name = "ProcessPoison";
    public const string TriggerBinding = "job";
    public const string Queue = "collect-jobs-poison";

    public static IEndpointConventionBuilder MapProcessPoison(this IEndpointRouteBuilder app) => app.MapFunction(Name, RunAsync);

    internal static async Task<InvocationResult> RunAsync(FunctionsRuntime runtime, InvocationRequest invocation, InvocationLog log, CancellationToken cancellationToken)
    {
        CollectionJob job;
        try
        {
            job = QueueMessage.DecodeJob(invocation.Binding(TriggerBinding));
        }
        catch (FormatException ex)
        {
            log.Error($"Poison message {invocation.MessageId ?? "(no id)"} is not a collection job: {ex.Message}");
            await MalformedMessages.RecordAsync(runtime, invocation, Queue, ex.Message, cancellationToken).ConfigureAwait(false);
            return InvocationResult.Ok(log);
        }

        var error = $"every delivery of the job failed with a transient error (network, throttling or a server error) until the host moved it to {Queue}; see the CollectEvidence invocations for job {job.JobId}";
        await runtime.Pipeline.RecordJobFailureAsync(job, error, cancellationToken).ConfigureAwait(false);
        log.Error($"Job {job.JobId} of {job.RunId} ({job.Source}) was poisoned; recorded as collector-error evidence.");
        return InvocationResult.Ok(log);
    }
}
