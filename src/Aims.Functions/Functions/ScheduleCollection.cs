using Aims.Evidence.Collection;
using Aims.Functions.Hosting;
using Aims.Functions.Jobs;
using Aims.Functions.Runs;
using Aims.Pipeline;
using Microsoft.Azure.Functions.Worker;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>ScheduleCollection</c> (timer, <c>AIMS_COLLECT_SCHEDULE</c>): plans the run, records the plan in the runs table
/// and fans it out, one <c>collect-jobs</c> message per job, through the queue output binding. The run is named after
/// the scheduled occurrence (a past-due or re-fired tick names the same run), so its job and item ids repeat and the
/// create-only store keeps one copy of everything.
/// </summary>
public sealed partial class ScheduleCollection(FunctionsRuntime runtime, RunTracker runs, ILogger<ScheduleCollection> logger)
{
    public const string Name = "ScheduleCollection";

    [Function(Name)]
    [QueueOutput(QueueNames.CollectJobs, Connection = AppSettingNames.Storage)]
    public async Task<string[]> RunAsync([TimerTrigger("%" + AppSettingNames.CollectSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var tick = TimerTick.From(timer);
        var occurrence = tick.Occurrence(runtime.Time.GetUtcNow(), runtime.Settings.CollectSchedule);
        var runId = EvidencePipeline.RunIdFor(occurrence);
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["RunId"] = runId });
        if (tick.IsPastDue)
        {
            LogPastDue(logger, runId, occurrence);
        }

        var jobs = new List<CollectionJob>();
        await foreach (var job in runtime.Pipeline.PlanAsync(runId, occurrence, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(job);
        }

        await runs.PlanAsync(runId, jobs, cancellationToken).ConfigureAwait(false);
        var perSource = string.Join(", ", jobs.GroupBy(j => j.Source, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}"));
        LogScheduled(logger, runId, jobs.Count, perSource.Length == 0 ? "no source is configured (Aims:Sources)" : perSource);

        // Each element becomes one queue message; JSON objects, so the message is a collection job as written.
        return jobs.Select(j => j.ToJson().ToJsonString()).ToArray();
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "The tick is past due; planning {RunId}, the run of its scheduled time {Occurrence:u}")]
    private static partial void LogPastDue(ILogger logger, string runId, DateTimeOffset occurrence);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "Run {RunId}: scheduled {Jobs} job(s) on collect-jobs ({PerSource})")]
    private static partial void LogScheduled(ILogger logger, string runId, int jobs, string perSource);
}
