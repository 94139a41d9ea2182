using System.Globalization;
using System.Text.Json.Nodes;

namespace Aims.Evidence.Checks;

/// <summary>Reads typed values out of an item's facts by dotted path (<c>protection.requiredApprovingReviewCount</c>).</summary>
public static class FactReader
{
    public static JsonNode? Get(JsonObject facts, string path)
    {
        JsonNode? node = facts;
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
            if (node is null)
            {
                return null;
            }
        }

        return node;
    }

    public static string? GetString(JsonObject facts, string path) =>
        Get(facts, path) is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s : null;

    public static double? GetNumber(JsonObject facts, string path) => Get(facts, path) switch
    {
        JsonValue v when v.TryGetValue<double>(out var d) => d,
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) => l,
        JsonValue v when v.TryGetValue<string>(out var s) && double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    public static bool? GetBool(JsonObject facts, string path) => Get(facts, path) switch
    {
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s, out var p) => p,
        _ => null,
    };

    public static DateTimeOffset? GetDate(JsonObject facts, string path) =>
        GetString(facts, path) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d.ToUniversalTime() : null;
}
