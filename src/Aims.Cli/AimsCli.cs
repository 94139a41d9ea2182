using System.CommandLine;
using Aims.Cli.Commands;
using Aims.Evidence;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;
using Azure;

namespace Aims.Cli;

/// <summary>The command tree and the mapping from failures to exit codes.</summary>
public static class AimsCli
{
    /// <param name="width">Columns tables may use; null for the terminal's width (or <c>COLUMNS</c>, or 120).</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, bool interactive = false, int? width = null, CancellationToken cancellationToken = default)
    {
        var io = new CliIO(output, errors, interactive) { Width = width ?? TerminalWidth(interactive) };
        var root = new RootCommand("AIMS Evidence: evidence that ISO/IEC 42001 Annex A controls operate, gaps before the audit, bundles auditors can verify offline.")
        {
            RunCommand.Create(io),
            CollectCommand.Create(io),
            GapsCommand.Create(io),
            DigestCommand.Create(io),
            BundleCommand.Create(io),
            VerifyCommand.Create(io),
            IndexCommand.Create(io),
            ControlsCommand.Create(io),
        };
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                await errors.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
            }

            await errors.WriteLineAsync("Run 'aims --help' for usage.").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
    }

    internal const int DefaultWidth = 120;

    private static int TerminalWidth(bool interactive)
    {
        if (interactive)
        {
            try
            {
                if (Console.WindowWidth > 0)
                {
                    return Console.WindowWidth;
                }
            }
            catch (IOException)
            {
                // No console after all (e.g. a detached process): fall back to COLUMNS.
            }
        }

        return int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var columns) && columns >= 40
            ? columns
            : DefaultWidth;
    }

    /// <summary>Runs a command body and maps failures to exit codes with a message that names the problem.</summary>
    internal static async Task<int> GuardAsync(CliIO io, Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidSettingException or RequirementsException or CliInputException or ArgumentException)
        {
            await io.Errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.BadInput;
        }
        catch (OperationCanceledException)
        {
            await io.Errors.WriteLineAsync("cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (StoreFailureException ex)
        {
            await io.Errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (AggregateException ex) when (ex.Flatten().InnerExceptions.All(e => e is RequestFailedException or HttpRequestException or IOException))
        {
            // The Azure SDK's answer when every retry failed: most often the store cannot be reached at all.
            var last = ex.Flatten().InnerExceptions[^1];
            await io.Errors.WriteLineAsync($"error: the store could not be reached after {ex.InnerExceptions.Count} attempt(s): {last.Message.Split('\n')[0].Trim()}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (System.Data.Common.DbException ex)
        {
            await io.Errors.WriteLineAsync($"error: the store's index database failed: {ex.Message.Split('\n')[0].Trim()}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (RequestFailedException ex)
        {
            await io.Errors.WriteLineAsync($"error: the store answered {ex.Status} {ex.ErrorCode}: {ex.Message.Split('\n')[0]}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or HttpRequestException)
        {
            await io.Errors.WriteLineAsync($"error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }
}

/// <summary>Where a command writes: reports to <see cref="Output"/>, messages to <see cref="Errors"/>.</summary>
internal sealed record CliIO(TextWriter Output, TextWriter Errors, bool Interactive)
{
    /// <summary>Columns tables may use: the terminal's width, else <c>COLUMNS</c>, else 120.</summary>
    public int Width { get; init; } = AimsCli.DefaultWidth;
}
