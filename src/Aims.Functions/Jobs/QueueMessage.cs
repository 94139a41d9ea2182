using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Collection;

namespace Aims.Functions.Jobs;

/// <summary>Decodes a collection job from a queue message's text, however its producer encoded it.</summary>
public static class QueueMessage
{
    /// <summary>
    /// Accepts a JSON object, a JSON string whose content is the job's JSON (the host's usual form for a queue
    /// message), that string nested once more, or base64 of the JSON (a producer that encoded twice).
    /// Throws <see cref="FormatException"/> naming what is wrong.
    /// </summary>
    public static CollectionJob DecodeJob(string message) => DecodeJob(JsonValue.Create(message));

    public static CollectionJob DecodeJob(JsonNode? value)
    {
        for (var depth = 0; depth < 3; depth++)
        {
            switch (value)
            {
                case null:
                    throw new FormatException("The message is empty.");
                case JsonObject:
                    return CollectionJob.FromJson(value);
                case JsonValue text when text.TryGetValue<string>(out var s):
                    value = ParseText(s);
                    break;
                default:
                    throw new FormatException($"The message is a JSON {value.GetValueKind().ToString().ToLowerInvariant()}, not a collection job object.");
            }
        }

        throw new FormatException("The message is JSON text nested too deeply to be a collection job.");
    }

    private static JsonNode? ParseText(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            throw new FormatException("The message is empty.");
        }

        if (trimmed[0] is not ('{' or '"') && TryBase64Json(trimmed) is { } decoded)
        {
            trimmed = decoded;
        }

        try
        {
            return JsonNode.Parse(trimmed);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"The message is not JSON: {ex.Message}", ex);
        }
    }

    private static string? TryBase64Json(string text)
    {
        var buffer = new byte[text.Length];
        if (!Convert.TryFromBase64String(text, buffer, out var written))
        {
            return null;
        }

        try
        {
            var decoded = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(buffer, 0, written).Trim();
            return decoded.StartsWith('{') ? decoded : null;
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
