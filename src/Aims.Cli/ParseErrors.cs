using System.CommandLine;
using System.CommandLine.Parsing;
using Aims.Pipeline;

namespace Aims.Cli;

/// <summary>Reports what the parser could not accept, suggests the command or option probably meant, and points at the right help.</summary>
internal static class ParseErrors
{
    public static async Task WriteAsync(ParseResult parse, TextWriter errors)
    {
        var command = parse.CommandResult.Command;
        foreach (var error in parse.Errors)
        {
            await errors.WriteLineAsync($"error: {error.Message}").ConfigureAwait(false);
        }

        foreach (var token in parse.UnmatchedTokens.Distinct(StringComparer.Ordinal))
        {
            if (Suggest(command, token) is { } suggestion)
            {
                await errors.WriteLineAsync($"Did you mean '{suggestion}' instead of '{token}'?").ConfigureAwait(false);
            }
        }

        var path = new List<string>();
        for (SymbolResult? r = parse.CommandResult; r is CommandResult c; r = c.Parent)
        {
            path.Insert(0, c.Command.Name);
        }

        path[0] = "aims";
        await errors.WriteLineAsync($"Run '{string.Join(' ', path)} --help' for usage.").ConfigureAwait(false);
    }

    private static string? Suggest(Command command, string token)
    {
        if (token.StartsWith('-'))
        {
            var options = command.Options.Concat(command.Parents.OfType<Command>().SelectMany(p => p.Options).Where(o => o.Recursive))
                .SelectMany(o => o.Aliases.Prepend(o.Name))
                .Where(n => n.StartsWith("--", StringComparison.Ordinal));
            var name = token.Split('=', 2)[0];
            return SpellingSuggestion.Closest(name, options);
        }

        return SpellingSuggestion.Closest(token, command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name));
    }
}
