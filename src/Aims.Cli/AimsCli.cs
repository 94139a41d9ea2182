using System.CommandLine;
using Aims.Cli.Commands;
using Aims.Evidence;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;
using Azure;

namespace Aims.Cli;

/// <summary>The command tree and the mapping from failures to exit codes.</summary>
public static class AimsCli
{
    public const string VerboseOption = "--verbose";

    /// <param name="width">Columns tables may use; null for the terminal's width (or <c>COLUMNS</c>, or 120).</param>
    public static Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, bool interactive = false, int? width = null, CancellationToken cancellationToken = default) =>
        RunAsync(args, output, errors, TimeProvider.System, interactive, width, cancellationToken);

    /// <summary>
    /// Runs the command with <paramref name="time"/> as the clock every observation, ledger entry, checkpoint and bundle
    /// is stamped with. Only tests pass anything but the system clock: users cannot choose it (<c>--as-of</c> sets
    /// only the analysis date).
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter errors, TimeProvider time, bool interactive = false, int? width = null, CancellationToken cancellationToken = default)
    {
        var io = new CliIO(output, errors, interactive, time) { Width = width ?? TerminalWidth(interactive), Verbose = args.Contains(VerboseOption, StringComparer.Ordinal) };
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
            SoaCommand.Create(io),
            OscalCommand.Create(io),
        };
        root.Options.Add(new Option<bool>(VerboseOption) { Description = "On an internal error, print the full exception (stack trace included).", Recursive = true });
        try
        {
            var parse = root.Parse(args);
            io.Doing = string.Join(' ', CommandPath(parse.CommandResult).Prepend("aims"));
            if (parse.Errors.Count > 0)
            {
                await ParseErrors.WriteAsync(parse, errors).ConfigureAwait(false);
                return ExitCodes.BadInput;
            }

            return await parse.InvokeAsync(new InvocationConfiguration { Output = output, Error = errors, EnableDefaultExceptionHandler = false }, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return await InternalErrorAsync(io, ex).ConfigureAwait(false);
        }
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
        catch (Exception ex) when (ex is InvalidSettingException or RequirementsException or CliInputException)
        {
            await io.Errors.WriteLineAsync($"error: {SecretRedactor.RedactText(ex.Message)}").ConfigureAwait(false);
            await io.Errors.WriteLineAsync($"Run '{io.Doing} --help' for usage.").ConfigureAwait(false);
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
            await io.Errors.WriteLineAsync($"error: the store answered {ex.Status} {ex.ErrorCode}: {SecretRedactor.RedactText(ex.Message.Split('\n')[0])}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or FormatException or HttpRequestException)
        {
            await io.Errors.WriteLineAsync($"error: {SecretRedactor.RedactText(ex.Message)}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
        catch (Exception ex)
        {
            return await InternalErrorAsync(io, ex).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// A failure the product did not expect: one line saying what was being done, exit 70. The stack trace is for
    /// whoever debugs it and is printed only with --verbose; both are redacted, since messages can quote input.
    /// </summary>
    private static async Task<int> InternalErrorAsync(CliIO io, Exception ex)
    {
        var message = SecretRedactor.RedactText(ex.Message.Split('\n')[0].Trim());
        await io.Errors.WriteLineAsync($"error: internal error while running '{io.Doing}': {ex.GetType().Name}: {message}").ConfigureAwait(false);
        await io.Errors.WriteLineAsync(io.Verbose
            ? SecretRedactor.RedactText(ex.ToString())
            : $"This is a bug in AIMS Evidence, not in your input. Run again with {VerboseOption} for the details to report it.").ConfigureAwait(false);
        return ExitCodes.InternalError;
    }

    private static IEnumerable<string> CommandPath(System.CommandLine.Parsing.CommandResult result)
    {
        var names = new Stack<string>();
        for (var r = result; r?.Parent is System.CommandLine.Parsing.CommandResult parent; r = parent)
        {
            names.Push(r.Command.Name);
        }

        return names;
    }
}

/// <summary>Where a command writes: reports to <see cref="Output"/>, messages to <see cref="Errors"/>; <see cref="Time"/> is the real clock.</summary>
internal sealed record CliIO(TextWriter Output, TextWriter Errors, bool Interactive, TimeProvider Time)
{
    /// <summary>The command line being run ("aims gaps"), for messages and for pointing at the right help.</summary>
    public string Doing { get; set; } = "aims";

    public bool Verbose { get; init; }

    /// <summary>Columns tables may use: the terminal's width, else <c>COLUMNS</c>, else 120.</summary>
    public int Width { get; init; } = AimsCli.DefaultWidth;
}
