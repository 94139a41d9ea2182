using System.Text.Json;

namespace Aims.Collectors.Http;

/// <summary>Reads the human message out of common JSON error bodies, without echoing the body itself.</summary>
public static class ProviderErrors
{
    private const int MaxLength = 300;

    /// <summary>
    /// The message of <c>{"message": ...}</c> (GitHub), <c>{"errorMessages": [...]}</c> (Jira),
    /// <c>{"error": {"message": ...}}</c> (ServiceNow) or <c>{"error_description": ...}</c>; null otherwise.
    /// </summary>
    public static string? MessageOf(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (Text(root, "message") is { } message)
            {
                return Trim(message);
            }

            if (root.TryGetProperty("errorMessages", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                var joined = string.Join("; ", list.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()));
                if (joined.Length > 0)
                {
                    return Trim(joined);
                }
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object && Text(error, "message") is { } nested)
            {
                return Trim(nested);
            }

            return Text(root, "error_description") is { } description ? Trim(description) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static ProviderError Describe(HttpResponseMessage response, ReadOnlyMemory<byte> body) => new(MessageOf(body), null);

    private static string? Text(JsonElement o, string name) =>
        o.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s ? s : null;

    private static string Trim(string s) => s.Length <= MaxLength ? s : s[..MaxLength] + "…";
}
