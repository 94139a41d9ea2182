using System.Text.Json.Nodes;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>Small readers for Resource Manager JSON (paths like <c>properties.model.name</c>).</summary>
internal static class ArmJson
{
    public static JsonNode? At(JsonNode? node, string path)
    {
        foreach (var part in path.Split('.'))
        {
            node = node is JsonObject o ? o[part] : null;
        }

        return node;
    }

    public static string? Text(JsonNode? node, string path) =>
        At(node, path) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static bool? Bool(JsonNode? node, string path) =>
        At(node, path) is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static long? Number(JsonNode? node, string path) =>
        At(node, path) is JsonValue v && v.TryGetValue<long>(out var n) ? n : null;

    /// <summary>A copy of the node at <paramref name="path"/> (facts never share nodes with raw payloads).</summary>
    public static JsonNode? Copy(JsonNode? node, string path) => At(node, path)?.DeepClone();

    /// <summary>An ARM id in the lowercase form subjects and facts use.</summary>
    public static string? Id(JsonNode? node, string path) => Text(node, path)?.ToLowerInvariant();

    /// <summary>Resource Manager timestamps normalized to canonical UTC.</summary>
    public static JsonNode? Time(JsonNode? node, string path) =>
        Text(node, path) is { } text && DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
            ? Settings.Facts.Time(t.ToUniversalTime())
            : null;
}
