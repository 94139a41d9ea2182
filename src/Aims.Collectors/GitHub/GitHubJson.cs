using System.Globalization;
using System.Text.Json.Nodes;

namespace Aims.Collectors.GitHub;

/// <summary>Tolerant readers for GitHub payloads: a missing or differently typed field reads as null.</summary>
internal static class GitHubJson
{
    public static string? String(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool? Bool(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static long? Long(JsonNode? node, string name)
    {
        if (node is not JsonObject o || o[name] is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<long>(out var l))
        {
            return l;
        }

        return v.TryGetValue<double>(out var d) && d == Math.Floor(d) ? (long)d : null;
    }

    public static DateTimeOffset? Date(JsonNode? node, string name) =>
        String(node, name) is { } s && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;

    public static JsonObject? Object(JsonNode? node, string name) => node is JsonObject o ? o[name] as JsonObject : null;

    public static JsonArray? Array(JsonNode? node, string name) => node is JsonObject o ? o[name] as JsonArray : null;

    /// <summary>The <c>login</c> of a user object under <paramref name="name"/> (null for deleted "ghost" users).</summary>
    public static string? Login(JsonNode? node, string name) => String(Object(node, name), "login");

    public static IEnumerable<JsonObject> Objects(JsonArray? array) => array?.OfType<JsonObject>() ?? [];

    /// <summary>
    /// The objects of a parsed array, taken out of it so they can be placed in another array without a deep copy (a
    /// node belongs to one parent). The array is left empty.
    /// </summary>
    public static List<JsonObject> TakeObjects(JsonArray array)
    {
        var objects = array.OfType<JsonObject>().ToList();
        array.Clear();
        return objects;
    }

    public static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    /// <summary>A timestamp as facts carry it (UTC, ISO 8601, seconds).</summary>
    public static string? Timestamp(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
}
