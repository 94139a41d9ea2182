using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Reporting.IO;

/// <summary>Reads stored item bytes back into an <see cref="EvidenceItem"/> whose recomputed hash is the one it was sealed with.</summary>
internal static class StoredItems
{
    /// <summary>
    /// Parses stored item bytes. Unlike <see cref="EvidenceItemJson.Parse"/>, every string comes back as a plain string
    /// value: <see cref="CanonicalJson"/> rewrites a parsed (JsonElement-backed) string that looks like a date into its
    /// timestamp form (<c>"2026-01-10"</c> becomes <c>"2026-01-10T00:00:00.000Z"</c>), while the collector sealed the
    /// item from the string as written. Without this, every document with a date fact would look altered.
    /// </summary>
    /// <exception cref="FormatException">The bytes are not an evidence item.</exception>
    public static EvidenceItem Parse(ReadOnlySpan<byte> utf8Json)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(utf8Json);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"An evidence item is not valid JSON: {ex.Message}", ex);
        }

        if (node is not JsonObject root)
        {
            throw new FormatException("An evidence item must be a JSON object.");
        }

        try
        {
            return EvidenceItemJson.FromNode((JsonObject)Verbatim(root)!);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"An evidence item repeats a property name ({ex.Message}).", ex);
        }
    }

    private static JsonNode? Verbatim(JsonNode? node) => node switch
    {
        null => null,
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Verbatim(p.Value)))),
        JsonArray array => new JsonArray(array.Select(Verbatim).ToArray()),
        JsonValue value when value.GetValueKind() == JsonValueKind.String => JsonValue.Create(value.GetValue<string>()),
        _ => node.DeepClone(),
    };
}
