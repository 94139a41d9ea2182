using System.Globalization;
using System.Text.Json.Nodes;

namespace Aims.Collectors.Ticketing;

/// <summary>Tolerant readers for provider payloads and the formats ticket facts use.</summary>
internal static class TicketJson
{
    public static string? String(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0 ? s : null;

    /// <summary>A string, or a number/bool written as text (ServiceNow sends everything as strings; Jira ids may be numbers).</summary>
    public static string? Text(JsonNode? node, string name)
    {
        if (node is not JsonObject o || o[name] is not JsonValue v)
        {
            return null;
        }

        if (v.TryGetValue<string>(out var s))
        {
            return s.Length > 0 ? s : null;
        }

        return v.TryGetValue<long>(out var l) ? l.ToString(CultureInfo.InvariantCulture)
            : v.TryGetValue<bool>(out var b) ? (b ? "true" : "false")
            : null;
    }

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

    public static bool? Bool(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static JsonObject? Object(JsonNode? node, string name) => node is JsonObject o ? o[name] as JsonObject : null;

    public static JsonArray? Array(JsonNode? node, string name) => node is JsonObject o ? o[name] as JsonArray : null;

    public static IEnumerable<JsonObject> Objects(JsonArray? array) => array?.OfType<JsonObject>() ?? [];

    /// <summary>
    /// A timestamp in any of the providers' forms: ISO 8601 with or without offset (<c>2025-01-02T03:04:05.000+0000</c>),
    /// ServiceNow's <c>2025-01-02 03:04:05</c> (UTC when display values are off) or a date. Without an offset it is UTC.
    /// </summary>
    public static DateTimeOffset? Date(JsonNode? node, string name) => ParseDate(String(node, name));

    public static DateTimeOffset? ParseDate(string? text) =>
        text is { Length: > 0 } && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t)
            ? t
            : null;

    /// <summary>A timestamp as facts carry it (UTC, ISO 8601, seconds).</summary>
    public static string? Timestamp(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    /// <summary>Hours between two moments, to two decimals; null when either is missing or the end precedes the start.</summary>
    public static double? Hours(DateTimeOffset? from, DateTimeOffset? to) =>
        from is { } f && to is { } t && t >= f ? Math.Round((t - f).TotalHours, 2) : null;

    /// <summary>The median, to two decimals; null for an empty list.</summary>
    public static double? Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        var mid = sorted.Length / 2;
        var median = sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        return Math.Round(median, 2);
    }

    /// <summary>Titles are kept short: enough to recognise a ticket, not a place for pasted content.</summary>
    public static string? Title(string? title) =>
        title is null ? null : title.Length <= 200 ? title.Trim() : title[..200].Trim() + "…";
}
