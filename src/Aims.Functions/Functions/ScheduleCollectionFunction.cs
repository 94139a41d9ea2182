using System.Text.Json.Nodes;
using Aims.Functions.Hosting;
using Aims.Functions.Invocation;
using Aims.Pipeline;

namespace Aims.Functions.Functions;

/// <summary>
/// <c>ScheduleCollection</c> (timer): plans the run and fans it out, one <c>collect-jobs</c> message per job, through
/// the <c>jobs</c> queue output binding. The run is named after the scheduled tick, so a re-fired tick plans the same
/// job and item ids and the create-only store keeps one copy of everything.
/// </summary>
public static class ScheduleCollectionFunction
{
    public const string Name = "ScheduleCollection";
    public const string TriggerBinding = "tick";
    public const string OutputBinding = "jobs";

    public static IEndpointConventionBuilder MapScheduleCollection(this IEndpointRouteBuilder app) => app.MapFunction(Name, RunAsync);

    internal static async Task<InvocationResult> RunAsync(FunctionsRuntime runtime, InvocationRequest invocation, InvocationLog log, CancellationToken cancellationToken)
    {
        var tick = TimerTick.Parse(invocation.Binding(TriggerBinding));
        var now = invocation.HostUtcNow ?? runtime.Time.GetUtcNow();
        var occurrence = tick.Occurrence(now, runtime.Settings.CollectSchedule);
        var runId = EvidencePipeline.RunIdFor(occurrence);
        if (tick.IsPastDue)
        {
            log.Warning($"The tick is past due; planning the run of its scheduled time {occurrence:u}.");
        }

        // Queue messages are JSON objects: the host base64-decodes any output string it can, which would garble bare text.
        var jobs = new JsonArray();
        var perSource = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var job in runtime.Pipeline.PlanAsync(runId, occurrence, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(job.ToJson());
            perSource[job.Source] = perSource.GetValueOrDefault(job.Source) + 1;
        }

        if (jobs.Count == 0)
        {
            log.Warning($"Run {runId}: no source is configured (Aims:Sources), so nothing was scheduled.");
        }
        else
        {
            log.Info($"Run {runId}: scheduled {jobs.Count} job(s) on collect-jobs ({string.Join(", ", perSource.Select(p => $"{p.Key}: {p.Value}"))}).");
        }

        return InvocationResult.Ok(log, new JsonObject { [OutputBinding] = jobs });
    }
}
