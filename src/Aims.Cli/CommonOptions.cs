using System.CommandLine;
using System.Globalization;

namespace Aims.Cli;

/// <summary>Options shared by several commands, with their documented defaults.</summary>
internal static class CommonOptions
{
    public const string DefaultStore = ".aims/store";

    public static Option<string?> Config() => new("--config", "-c")
    {
        Description = "Configuration file (JSON). Environment variables such as Aims__Sources__GitHub__Token override it.",
    };

    public static Option<string> Store() => new("--store", "-s")
    {
        Description = "Evidence store: a folder, UseDevelopmentStorage=true, a storage connection string, or a blob container URL.",
        DefaultValueFactory = _ => DefaultStore,
    };

    /// <param name="collects">Whether the command collects; only then does the date reach stored items.</param>
    public static Option<string?> AsOf(bool collects = false) => new("--as-of")
    {
        Description = collects
            ? "Analyse as of this date (YYYY-MM-DD, meaning the end of that day UTC, or ISO 8601): only evidence observed by then counts. Collected evidence is always stamped with the real time. Default: now."
            : "Analyse as of this date (YYYY-MM-DD, meaning the end of that day UTC, or ISO 8601): only evidence observed by then counts. Default: now.",
    };

    public static Option<string?> SigningKey() => new("--signing-key")
    {
        Description = "ECDSA P-256 private key (PEM) to sign ledger checkpoints and bundles with. Default: the Aims:Signing settings.",
    };

    public static Option<string> Format(params string[] formats)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = $"Output format: {string.Join(", ", formats)}.",
            DefaultValueFactory = _ => formats[0],
        };
        option.AcceptOnlyFromAmong(formats);
        return option;
    }

    public static Option<string?> AiSystem() => new("--system")
    {
        Description = "Only evidence attributed to this AI system (an id from the inventory).",
    };

    /// <summary>
    /// Parses --as-of; a bare date means the end of that day (UTC), so "as of 2026-06-30" includes what was observed on
    /// the 30th. Throws <see cref="CliInputException"/> naming the option when malformed.
    /// </summary>
    public static DateTimeOffset? ParseAsOf(string? text) =>
        ParseDate("--as-of", text) is { } value && IsDateOnly(text!) ? value.AddDays(1).AddTicks(-1) : ParseDate("--as-of", text);

    private static bool IsDateOnly(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    public static DateTimeOffset? ParseDate(string option, string? text)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            throw new CliInputException($"{option} '{text}' is not a date (YYYY-MM-DD).");
        }

        // Periods reach a year or more either side of the date; outside this range that arithmetic has no calendar.
        return value.ToUniversalTime() is var utc && utc >= EarliestDate && utc <= LatestDate
            ? utc
            : throw new CliInputException($"{option} '{text}' is out of range: give a date from {EarliestDate:yyyy-MM-dd} to {LatestDate:yyyy-MM-dd}.");
    }

    public static DateTimeOffset EarliestDate { get; } = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DateTimeOffset LatestDate { get; } = new(9000, 12, 31, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Refuses an --out folder that is an existing file, before any work is done.</summary>
    public static string OutputFolder(string option, string path) =>
        File.Exists(path)
            ? throw new CliInputException($"{option} '{path}' is a file; it must be a folder (it is created when missing).")
            : path;

    /// <summary>Refuses an --out file that is an existing folder or whose folder is a file, before any work is done.</summary>
    public static string OutputFile(string option, string path)
    {
        if (Directory.Exists(path))
        {
            throw new CliInputException($"{option} '{path}' is a folder; it must name the file to write.");
        }

        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        return folder is not null && File.Exists(folder)
            ? throw new CliInputException($"{option} '{path}': '{folder}' is a file, not a folder.")
            : path;
    }
}

/// <summary>Bad command-line input that the parser could not catch (e.g. a malformed date): exit 2.</summary>
internal sealed class CliInputException(string message) : Exception(message);
