using System.CommandLine;
using System.Text.Json;
using Aims.Evidence.Catalog;

namespace Aims.Cli.Commands;

/// <summary><c>aims controls</c>: the catalog of Annex A controls and clause records.</summary>
internal static class ControlsCommand
{
    public static Command Create(CliIO io)
    {
        var format = CommonOptions.Format("table", "json", "markdown");
        var command = new Command("controls", "List the ISO/IEC 42001 Annex A controls and the clause records every surveillance audit checks.") { format };
        command.SetAction((parse, cancellationToken) => AimsCli.GuardAsync(io, async () =>
        {
            var controls = ControlCatalog.Default.Controls;
            switch (parse.GetValue(format))
            {
                case "json":
                    await using (var stream = new MemoryStream())
                    {
                        await using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
                        {
                            writer.WriteStartArray();
                            foreach (var c in controls)
                            {
                                writer.WriteStartObject();
                                writer.WriteString("id", c.Id);
                                writer.WriteString("title", c.Title);
                                writer.WriteString("type", c.TypeName);
                                writer.WriteEndObject();
                            }

                            writer.WriteEndArray();
                        }

                        await io.Output.WriteLineAsync(System.Text.Encoding.UTF8.GetString(stream.ToArray())).ConfigureAwait(false);
                    }

                    break;
                case "markdown":
                    await io.Output.WriteLineAsync("| ID | Title | Type |\n|---|---|---|").ConfigureAwait(false);
                    foreach (var c in controls)
                    {
                        await io.Output.WriteLineAsync($"| {c.Id} | {c.Title} | {c.TypeName} |").ConfigureAwait(false);
                    }

                    break;
                default:
                    foreach (var c in controls)
                    {
                        await io.Output.WriteLineAsync($"{c.Id,-8} {c.TypeName,-8} {c.Title}").ConfigureAwait(false);
                    }

                    break;
            }

            return ExitCodes.Ok;
        }));
        return command;
    }
}
