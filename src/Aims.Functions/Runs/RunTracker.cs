using System.Text.Json.Nodes;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Aims.Functions.Runs;

/// <summary>A run the safety net found overdue, with the jobs that never finished.</summary>
public sealed record OverdueRun(string RunId, DateTimeOffset PlannedAt, int Planned, IReadOnlyList<PlannedJob> Missing);

/// <summary>A planned job as the run table remembers it.</summary>
public sealed record PlannedJob(string JobId, string Source, string Message);

/// <summary>
/// Fan-in without an orchestrator: each run is one partition of the runs table, holding a <c>run</c> row (how many jobs
/// were planned, when, whether analysis was queued), a <c>plan-…</c> row per planned job and a <c>done-…</c> row per
/// finished one (succeeded, recorded as failed, or poisoned). Every write is an idempotent upsert, so a redelivered job
/// or a re-fired tick changes nothing. The job whose <c>done</c> row completes the set claims the run (an If-Match
/// update of the run row, so two racing jobs cannot both win) and enqueues its analysis.
/// </summary>
public sealed partial class RunTracker(TableClient table, QueueClient analyzeQueue, TimeProvider time, ILogger<RunTracker> logger)
{
    private const string RunRow = "run";
    private const string PlanPrefix = "plan-";
    private const string DonePrefix = "done-";
    private const int MaxBatch = 100;
    private int _created;

    /// <summary>Records the run's plan. Returns true when the run has no job at all and its analysis was queued right away.</summary>
    public async Task<bool> PlanAsync(string runId, IReadOnlyList<CollectionJob> jobs, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var rows = jobs.Select(job => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(runId, PlanPrefix + Key(job.JobId))
        {
            ["JobId"] = job.JobId,
            ["Source"] = job.Source,
            ["Message"] = job.ToJson().ToJsonString(),
        })).ToList();

        // A table transaction holds at most 100 entities of one partition.
        for (var i = 0; i < rows.Count; i += MaxBatch)
        {
            await table.SubmitTransactionAsync(rows.Skip(i).Take(MaxBatch), cancellationToken).ConfigureAwait(false);
        }

        // Merge keeps AnalysisQueuedAt if a re-fired tick plans a run that is already complete.
        await table.UpsertEntityAsync(new TableEntity(runId, RunRow)
        {
            ["Planned"] = jobs.Count,
            ["PlannedAt"] = time.GetUtcNow(),
        }, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        return jobs.Count == 0 && await TryCompleteAsync(runId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Records that <paramref name="job"/> finished (<paramref name="outcome"/>: collected, failed, poisoned) and, when it
    /// completes its run, queues the analysis. Returns true when this call queued it.
    /// </summary>
    public async Task<bool> FinishAsync(CollectionJob job, string outcome, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        await table.UpsertEntityAsync(new TableEntity(job.RunId, DonePrefix + Key(job.JobId))
        {
            ["JobId"] = job.JobId,
            ["Source"] = job.Source,
            ["Outcome"] = outcome,
            ["FinishedAt"] = time.GetUtcNow(),
        }, TableUpdateMode.Replace, cancellationToken).ConfigureAwait(false);
        return await TryCompleteAsync(job.RunId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs planned longer ago than <paramref name="within"/> whose analysis was never queued, with their missing jobs.</summary>
    public async Task<IReadOnlyList<OverdueRun>> FindOverdueAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        await EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
        var cutoff = time.GetUtcNow() - within;
        var overdue = new List<OverdueRun>();
        await foreach (var run in table.QueryAsync<TableEntity>($"RowKey eq '{RunRow}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (run.ContainsKey("AnalysisQueuedAt") || run.GetDateTimeOffset("PlannedAt") is not { } plannedAt || plannedAt > cutoff)
            {
                continue;
            }

            var (planned, done) = await ReadJobsAsync(run.PartitionKey, cancellationToken).ConfigureAwait(false);
            var missing = planned.Where(p => !done.Contains(p.Key)).Select(p => p.Value).OrderBy(j => j.JobId, StringComparer.Ordinal).ToList();
            overdue.Add(new OverdueRun(run.PartitionKey, plannedAt, planned.Count, missing));
        }

        return overdue;
    }

    /// <summary>Queues the analysis of an overdue run unless a finishing job got there first. Returns true when this call queued it.</summary>
    public async Task<bool> ForceCompleteAsync(string runId, CancellationToken cancellationToken)
    {
        var run = await table.GetEntityIfExistsAsync<TableEntity>(runId, RunRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        return run.HasValue && await ClaimAndEnqueueAsync(run.Value!, AnalysisRequest.Overdue, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> TryCompleteAsync(string runId, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(runId, RunRow, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!response.HasValue)
        {
            // A job nobody planned here (e.g. sent by hand): nothing to fan in.
            LogUntracked(logger, runId);
            return false;
        }

        var run = response.Value!;
        if (run.ContainsKey("AnalysisQueuedAt"))
        {
            return false;
        }

        var planned = run.GetInt32("Planned") ?? 0;
        var done = 0;
        await foreach (var _ in table.QueryAsync<TableEntity>(
            $"PartitionKey eq '{Escape(runId)}' and RowKey ge '{DonePrefix}' and RowKey lt 'done.'", select: ["RowKey"], cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            done++;
        }

        return done >= planned && await ClaimAndEnqueueAsync(run, AnalysisRequest.Complete, cancellationToken).ConfigureAwait(false);
    }

    private async Task<bool> ClaimAndEnqueueAsync(TableEntity run, string reason, CancellationToken cancellationToken)
    {
        if (run.ContainsKey("AnalysisQueuedAt"))
        {
            return false;
        }

        var claimed = new TableEntity(run.PartitionKey, run.RowKey) { ["AnalysisQueuedAt"] = time.GetUtcNow(), ["AnalysisReason"] = reason };
        try
        {
            await table.UpdateEntityAsync(claimed, run.ETag, TableUpdateMode.Merge, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            // Another job (or the safety net) claimed the run first.
            return false;
        }

        try
        {
            await analyzeQueue.SendMessageAsync(new AnalysisRequest(run.PartitionKey, reason).ToJson(), cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Give the claim back (the row as it was) so the redelivered job, or the safety net, queues the analysis.
            var release = new TableEntity(run.PartitionKey, run.RowKey) { ["Planned"] = run["Planned"], ["PlannedAt"] = run["PlannedAt"] };
            await table.UpdateEntityAsync(release, ETag.All, TableUpdateMode.Replace, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        LogAnalysisQueued(logger, run.PartitionKey, reason);
        return true;
    }

    private async Task<(Dictionary<string, PlannedJob> Planned, HashSet<string> Done)> ReadJobsAsync(string runId, CancellationToken cancellationToken)
    {
        var planned = new Dictionary<string, PlannedJob>(StringComparer.Ordinal);
        var done = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in table.QueryAsync<TableEntity>($"PartitionKey eq '{Escape(runId)}'", cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            if (row.RowKey.StartsWith(PlanPrefix, StringComparison.Ordinal))
            {
                planned[row.RowKey[PlanPrefix.Length..]] = new PlannedJob(row.GetString("JobId") ?? "", row.GetString("Source") ?? "", row.GetString("Message") ?? "");
            }
            else if (row.RowKey.StartsWith(DonePrefix, StringComparison.Ordinal))
            {
                done.Add(row.RowKey[DonePrefix.Length..]);
            }
        }

        return (planned, done);
    }

    private async Task EnsureCreatedAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _created) == 0)
        {
            await table.CreateIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
            await analyzeQueue.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            Volatile.Write(ref _created, 1);
        }
    }

    // Job ids may hold characters a row key refuses ('/', '#', '?'): the row key is a hash, the id a property.
    private static string Key(string jobId) => CanonicalJson.Sha256Hex(jobId)[..32];

    private static string Escape(string value) => value.Replace("'", "''", StringComparison.Ordinal);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Run {RunId}: analysis queued ({Reason})")]
    private static partial void LogAnalysisQueued(ILogger logger, string runId, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Run {RunId} is not in the runs table; its jobs are collected but nothing fans in")]
    private static partial void LogUntracked(ILogger logger, string runId);
}

/// <summary>An <c>analyze-runs</c> message: which run, and why now.</summary>
public sealed record AnalysisRequest(string RunId, string Reason)
{
    public const string Complete = "complete";
    public const string Overdue = "overdue";

    public string ToJson() => new JsonObject { ["runId"] = RunId, ["reason"] = Reason }.ToJsonString();

    /// <summary>Reads a message; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static AnalysisRequest Parse(string text)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException ex)
        {
            throw new FormatException($"The message is not JSON: {ex.Message}", ex);
        }

        return node is JsonObject o && o["runId"] is JsonValue id && id.TryGetValue<string>(out var runId) && runId.Length is > 0 and <= 200
            ? new AnalysisRequest(runId, o["reason"] is JsonValue r && r.TryGetValue<string>(out var reason) ? reason : Complete)
            : throw new FormatException("The message is not an analysis request ({\"runId\": ..., \"reason\": ...}).");
    }
}
