using Aims.Evidence;
using Aims.Pipeline;
using Spectre.Console;

namespace Aims.Cli;

/// <summary>A progress bar on a terminal; nothing when output is redirected (CI logs, pipes).</summary>
internal static class Progress
{
    public static async Task<T> RunAsync<T>(CliIO io, string title, Func<IProgress<CollectionProgress>?, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
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
            var reporter = new Progress<CollectionProgress>(p =>
            {
                task.MaxValue = Math.Max(1, p.JobsPlanned);
                task.Value = p.JobsDone;
                task.Description = $"{title}: {p.JobsDone}/{Plural.Count(p.JobsPlanned, "job")}, {Plural.Count(p.ItemsCreated, "item")}, {Plural.Count(p.Errors, "error")}";
            });
            result = await work(reporter, cancellationToken).ConfigureAwait(false);
        }).ConfigureAwait(false);
        return result;
    }
}
