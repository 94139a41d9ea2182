using Aims.Evidence.Gaps;
using Aims.Pipeline;
using Aims.Reporting.Bundle;
using Spectre.Console;

namespace Aims.Cli;

/// <summary>Progress on a terminal (collection, analysis, bundle building); nothing when output is redirected (CI logs, pipes).</summary>
internal static class Progress
{
    public static Task<T> RunAsync<T>(CliIO io, string title, Func<IProgress<CollectionProgress>?, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        ShowAsync<CollectionProgress, T>(io, title, work, (task, p) =>
        {
            task.MaxValue = Math.Max(1, p.JobsPlanned);
            task.Value = p.JobsDone;
            task.Description = $"{title}: {p.JobsDone}/{p.JobsPlanned} jobs, {p.ItemsCreated} items, {p.Errors} errors";
        }, cancellationToken);

    /// <summary>The gap analysis reports no steps, so the bar only says it is working, then completes.</summary>
    public static Task<GapReport> AnalyzeAsync(CliIO io, CliSession session, string? aiSystem, CancellationToken cancellationToken) =>
        ShowAsync<int, GapReport>(io, "Analysing gaps", (_, ct) => session.Pipeline.AnalyzeAsync(session.AsOf, aiSystem, ct), (_, _) => { }, cancellationToken, indeterminate: true);

    public static Task<T> BundleAsync<T>(CliIO io, Func<IProgress<BundleProgress>?, CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        ShowAsync<BundleProgress, T>(io, "Building the bundle", work, (task, p) =>
        {
            // Stages are the only known total: evidence, ledger proof, index files.
            task.MaxValue = (int)BundleStage.Done;
            task.Value = (int)p.Stage;
            task.Description = $"Building the bundle ({p.Stage.ToString().ToLowerInvariant()}): {p.LedgerEntriesRead} ledger entries read, {p.ItemsWritten} items, {p.RawPayloadsWritten} raw payloads, {p.BytesWritten / 1024} KiB";
        }, cancellationToken);

    private static async Task<T> ShowAsync<TProgress, T>(CliIO io, string title, Func<IProgress<TProgress>?, CancellationToken, Task<T>> work,
        Action<ProgressTask, TProgress> update, CancellationToken cancellationToken, bool indeterminate = false)
    {
        if (!io.Interactive)
        {
            return await work(null, cancellationToken).ConfigureAwait(false);
        }

        T result = default!;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(io.Errors) });
        await console.Progress().AutoClear(true).StartAsync(async ctx =>
        {
            var task = ctx.AddTask(title, maxValue: 1);
            task.IsIndeterminate = indeterminate;
            result = await work(new Progress<TProgress>(p => update(task, p)), cancellationToken).ConfigureAwait(false);
            task.IsIndeterminate = false;
            task.Value = task.MaxValue;
        }).ConfigureAwait(false);
        return result;
    }
}
