using Aims.Evidence.Collection;
using Aims.Functions.Hosting;
using Aims.Functions.Jobs;
using Aims.Functions.Runs;
using Microsoft.Azure.Functions.Worker;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>ProcessPoison</c> (queue trigger on <c>collect-jobs-poison</c>): a job the host gave up on after its last
/// delivery becomes collector-error evidence for every kind of its source, so the digest shows it, and counts as
/// finished for its run, so the run still completes and is analysed.
/// </summary>
public sealed partial class ProcessPoison(FunctionsRuntime runtime, RunTracker runs, MalformedMessages malformed, ILogger<ProcessPoison> logger)
{
    public const string Name = "ProcessPoison";

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(QueueNames.CollectJobsPoison, Connection = AppSettingNames.Storage)] string message,
        string id,
        long dequeueCount,
        CancellationToken cancellationToken)
    {
        CollectionJob job;
        try
        {
            job = QueueMessage.DecodeJob(message);
        }
        catch (FormatException ex)
        {
            await malformed.RecordAsync(QueueNames.CollectJobsPoison, id, dequeueCount, message, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        var error = $"every delivery of the job failed with a transient error (source outage, throttling or a timeout) until the host moved it to {QueueNames.CollectJobsPoison}; see the CollectEvidence invocations for job {job.JobId}";
        await runtime.Pipeline.RecordJobFailureAsync(job, error, cancellationToken).ConfigureAwait(false);
        LogPoisoned(logger, job.JobId, job.RunId, job.Source);
        await runs.FinishAsync(job, "poisoned", cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4013, Level = LogLevel.Error, Message = "Job {JobId} of {RunId} ({Source}) was poisoned; recorded as collector-error evidence")]
    private static partial void LogPoisoned(ILogger logger, string jobId, string runId, string source);
}
