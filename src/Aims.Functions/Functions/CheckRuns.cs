using Aims.Evidence.Collection;
using Aims.Functions.Hosting;
using Aims.Functions.Runs;
using Microsoft.Azure.Functions.Worker;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>CheckRuns</c> (timer, <c>AIMS_CHECK_RUNS_SCHEDULE</c>): the safety net of the fan-in. A run whose jobs did not all
/// finish within <c>Aims:Runs:CompleteWithin</c> (a message lost, a worker killed mid-job) is analysed anyway; each job
/// that never finished is named in the log and recorded as collector-error evidence for its source, so the digest says
/// which evidence is missing and why.
/// </summary>
public sealed partial class CheckRuns(FunctionsRuntime runtime, RunTracker runs, ILogger<CheckRuns> logger)
{
    public const string Name = "CheckRuns";

    [Function(Name)]
    public async Task RunAsync([TimerTrigger("%" + AppSettingNames.CheckRunsSchedule + "%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var within = runtime.Settings.RunsCompleteWithin;
        foreach (var run in await runs.FindOverdueAsync(within, cancellationToken).ConfigureAwait(false))
        {
            LogOverdue(logger, run.RunId, run.Planned, run.Missing.Count, within, string.Join(", ", run.Missing.Select(m => $"{m.JobId} ({m.Source})")));
            foreach (var missing in run.Missing)
            {
                var job = CollectionJob.FromJson(System.Text.Json.Nodes.JsonNode.Parse(missing.Message));
                await runtime.Pipeline.RecordJobFailureAsync(job,
                    $"the job did not finish within {within} of its run being scheduled (its message was lost or its worker stopped); the run was analysed without it",
                    cancellationToken).ConfigureAwait(false);
            }

            await runs.ForceCompleteAsync(run.RunId, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4050, Level = LogLevel.Warning,
        Message = "Run {RunId}: {Missing} of {Planned} job(s) did not finish within {Within}; analysing it anyway. Missing: {Jobs}")]
    private static partial void LogOverdue(ILogger logger, string runId, int planned, int missing, TimeSpan within, string jobs);
}
