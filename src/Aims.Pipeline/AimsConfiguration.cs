using System.Text.Json;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;

namespace Aims.Pipeline;

/// <summary>
/// Builds the .NET configuration: the JSON file given with <c>--config</c> (optional), then environment variables
/// (<c>Aims__Sources__GitHub__Token</c>), so Functions app settings work unchanged.
/// </summary>
public static class AimsConfiguration
{
    public static (IConfigurationRoot Configuration, string BaseDirectory) Load(string? configFile, IDictionary<string, string?>? overrides = null)
    {
        var builder = new ConfigurationBuilder();
        string baseDirectory;
        if (configFile is not null)
        {
            var full = Path.GetFullPath(configFile);
            if (!File.Exists(full))
            {
                throw new InvalidSettingException("--config", $"the configuration file '{configFile}' does not exist.");
            }

            ValidateJson(full);
            baseDirectory = Path.GetDirectoryName(full)!;
            builder.AddJsonFile(full, optional: false, reloadOnChange: false);
        }
        else
        {
            baseDirectory = Directory.GetCurrentDirectory();
        }

        builder.AddEnvironmentVariables();
        if (overrides is not null)
        {
            builder.AddInMemoryCollection(overrides);
        }

        return (builder.Build(), baseDirectory);
    }

    /// <summary>Reports a malformed file with its line and position instead of the configuration system's generic message.</summary>
    private static void ValidateJson(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var doc = JsonDocument.Parse(stream, new JsonDocumentOptions { CommentHandling = JsonCommentSkipping(), AllowTrailingCommas = true });
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidSettingException("--config", $"{path}: the top level must be a JSON object.");
            }
        }
        catch (JsonException ex)
        {
            throw new InvalidSettingException("--config", $"{path}: not valid JSON at line {(ex.LineNumber ?? 0) + 1}, position {(ex.BytePositionInLine ?? 0) + 1}: {ex.Message.Split(" LineNumber")[0]}");
        }
    }

    private static JsonCommentHandling JsonCommentSkipping() => JsonCommentHandling.Skip;
}
