using Aims.Evidence.Collection;
using Aims.Functions.Hosting;
using Aims.Functions.Jobs;
using Aims.Functions.Runs;
using Microsoft.Azure.Functions.Worker;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>CollectEvidence</c> (queue trigger on <c>collect-jobs</c>): runs one job. Redelivery is harmless: item ids are
/// deterministic, the store is create-only and the runs table takes upserts. A failure a retry can fix (a source
/// outage after the client's own retries, throttling, timeouts, storage contention) fails the invocation, so the host
/// delivers the message again and, after <c>maxDequeueCount</c>, moves it to <c>collect-jobs-poison</c>; any other
/// failure is recorded as collector-error evidence and the message acknowledged. A finished job may complete its run,
/// which queues the analysis.
/// </summary>
public sealed partial class CollectEvidence(FunctionsRuntime runtime, RunTracker runs, MalformedMessages malformed, ILogger<CollectEvidence> logger)
{
    public const string Name = "CollectEvidence";

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(QueueNames.CollectJobs, Connection = AppSettingNames.Storage)] string message,
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
            await malformed.RecordAsync(QueueNames.CollectJobs, id, dequeueCount, message, ex.Message, cancellationToken).ConfigureAwait(false);
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = job.RunId, ["JobId"] = job.JobId, ["Source"] = job.Source });
        string outcome;
        try
        {
            var result = await runtime.Pipeline.RunJobAsync(job, recordFailure: false, cancellationToken).ConfigureAwait(false);
            LogCollected(logger, job.Source, job.JobId, job.RunId, dequeueCount, result.Created, result.AlreadyStored, result.Errors);
            outcome = "collected";
        }
        catch (Exception ex) when (TransientFailure.IsTransient(ex, cancellationToken))
        {
            LogTransient(logger, job.Source, job.JobId, dequeueCount, ex.Message);
            throw;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogPermanent(logger, job.Source, job.JobId, ex.Message);
            await runtime.Pipeline.RecordJobFailureAsync(job, ex.Message, cancellationToken).ConfigureAwait(false);
            outcome = "failed";
        }

        // Sign the ledger's heads before the job counts as finished, so every finished job is covered by a checkpoint.
        var checkpoints = await runtime.Pipeline.CheckpointLedgerAsync(cancellationToken).ConfigureAwait(false);
        LogCheckpoints(logger, job.JobId, checkpoints);
        await runs.FinishAsync(job, outcome, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4013, Level = LogLevel.Information, Message = "Job {JobId}: {Checkpoints} ledger checkpoint(s) signed")]
    private static partial void LogCheckpoints(ILogger logger, string jobId, int checkpoints);

    [LoggerMessage(EventId = 4010, Level = LogLevel.Information,
        Message = "Job {JobId} of {RunId} ({Source}), delivery {DequeueCount}: {Created} new item(s), {AlreadyStored} already stored, {Errors} collector error(s)")]
    private static partial void LogCollected(ILogger logger, string source, string jobId, string runId, long dequeueCount, int created, int alreadyStored, int errors);

    [LoggerMessage(EventId = 4011, Level = LogLevel.Warning, Message = "Job {JobId} ({Source}), delivery {DequeueCount}, failed with a transient error; the host will deliver it again: {Reason}")]
    private static partial void LogTransient(ILogger logger, string source, string jobId, long dequeueCount, string reason);

    [LoggerMessage(EventId = 4012, Level = LogLevel.Error, Message = "Job {JobId} ({Source}) failed; recorded as collector-error evidence (a retry cannot fix it): {Reason}")]
    private static partial void LogPermanent(ILogger logger, string source, string jobId, string reason);
}
