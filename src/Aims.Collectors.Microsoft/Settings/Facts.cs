using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Settings;

/// <summary>Builds compact, normalized facts: absent values are left out, string sets sorted, times in canonical UTC.</summary>
internal static class Facts
{
    public static JsonObject Object(params (string Key, JsonNode? Value)[] properties)
    {
        var result = new JsonObject();
        foreach (var (key, value) in properties)
        {
            if (value is not null)
            {
                result[key] = value;
            }
        }

        return result;
    }

    public static JsonNode? Time(DateTimeOffset? value) => value is { } t ? CanonicalJson.Timestamp(t) : null;

    /// <summary>A sorted, de-duplicated string set; null when there is nothing in it.</summary>
    public static JsonArray? Set(IEnumerable<string?>? values)
    {
        if (values is null)
        {
            return null;
        }

        var items = values.Where(v => !string.IsNullOrEmpty(v)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        return items.Length == 0 ? null : new JsonArray(items.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());
    }

    /// <summary>A sorted, de-duplicated string set that is written even when empty (an empty list is itself a fact).</summary>
    public static JsonArray SetOrEmpty(IEnumerable<string?>? values) => Set(values) ?? [];

    public static JsonArray Array(IEnumerable<JsonNode?> items) => new(items.ToArray());

    /// <summary>Counts per value, e.g. decisions per outcome.</summary>
    public static JsonObject Counts(IEnumerable<string?> values)
    {
        var result = new JsonObject();
        foreach (var group in values.Select(v => v ?? "unknown").GroupBy(v => v, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            result[group.Key] = group.Count();
        }

        return result;
    }
}
