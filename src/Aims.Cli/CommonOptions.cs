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
        Description = $"Evidence store: a folder, UseDevelopmentStorage=true, a storage connection string, or a blob container URL. Default: {DefaultStore}.",
        DefaultValueFactory = _ => DefaultStore,
    };

    public static Option<string?> AsOf() => new("--as-of")
    {
        Description = "Analyse as of this date (YYYY-MM-DD, meaning the end of that day UTC, or ISO 8601): only evidence observed by then counts. Evidence is always stamped with the real time. Default: now.",
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

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : throw new CliInputException($"{option} '{text}' is not a date (YYYY-MM-DD).");
    }
}

/// <summary>Bad command-line input that the parser could not catch (e.g. a malformed date): exit 2.</summary>
internal sealed class CliInputException(string message) : Exception(message);
