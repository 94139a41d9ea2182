using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Catalog;

namespace Aims.Functions.Bundles;

/// <summary>A request that names the field it is wrong about; the API answers 400 with <c>{"error", "field"}</c>.</summary>
public sealed class BundleRequestException(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}

/// <summary>
/// The body of <c>POST /api/bundles</c>: <c>{"from": "2026-01-01", "to": "2026-06-30", "controls": ["A.6.2.6"], "system": "credit-scoring"}</c>.
/// Dates are days (UTC) or timestamps; <c>to</c> given as a day includes that whole day.
/// </summary>
public sealed record BundleApiRequest(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<string> Controls, string? AiSystem)
{
    private const int MaxControls = 100;

    /// <summary>Stable text of the request, for the bundle id.</summary>
    public string Canonical =>
        $"{From.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{To.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{string.Join(',', Controls)}|{AiSystem}";

    public static BundleApiRequest Parse(JsonNode? body, ControlCatalog catalog)
    {
        if (body is not JsonObject o)
        {
            throw new BundleRequestException("body", "The request body must be a JSON object: {\"from\": \"YYYY-MM-DD\", \"to\": \"YYYY-MM-DD\", \"controls\": [...], \"system\": \"...\"}.");
        }

        var from = Date(o, "from", endOfDay: false);
        var to = Date(o, "to", endOfDay: true);
        if (from > to)
        {
            throw new BundleRequestException("to", $"'to' ({to:yyyy-MM-dd}) is before 'from' ({from:yyyy-MM-dd}).");
        }

        return new BundleApiRequest(from, to, ReadControls(o, catalog), ReadAiSystem(o));
    }

    public static async Task<BundleApiRequest> ReadAsync(HttpRequest request, ControlCatalog catalog, CancellationToken cancellationToken = default)
    {
        JsonNode? body;
        try
        {
            body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new BundleRequestException("body", $"The request body is not JSON: {ex.Message}");
        }

        return Parse(body, catalog);
    }

    private static DateTimeOffset Date(JsonObject o, string field, bool endOfDay)
    {
        if (o[field] is not JsonValue v || !v.TryGetValue<string>(out var text) || string.IsNullOrWhiteSpace(text))
        {
            throw new BundleRequestException(field, $"'{field}' is required: a date (YYYY-MM-DD) or a UTC timestamp.");
        }

        text = text.Trim();
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            var start = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return endOfDay ? start.AddDays(1).AddTicks(-1) : start;
        }

        if (text.Contains('T', StringComparison.Ordinal)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return at.ToUniversalTime();
        }

        throw new BundleRequestException(field, $"'{field}' is '{text}', not a date (YYYY-MM-DD) or a timestamp (YYYY-MM-DDThh:mm:ssZ).");
    }

    private static IReadOnlyList<string> ReadControls(JsonObject o, ControlCatalog catalog)
    {
        var node = o["controls"];
        IEnumerable<string?> values = node switch
        {
            null => [],
            JsonArray array => array.Select(n => n is JsonValue v && v.TryGetValue<string>(out var s)
                ? s
                : throw new BundleRequestException("controls", "'controls' must be a list of control ids (strings), e.g. [\"A.6.2.6\", \"9.2\"].")),
            JsonValue v when v.TryGetValue<string>(out var s) => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            _ => throw new BundleRequestException("controls", "'controls' must be a list of control ids, e.g. [\"A.6.2.6\", \"9.2\"]."),
        };

        var controls = new List<string>();
        foreach (var value in values)
        {
            var id = value?.Trim() ?? "";
            if (!catalog.Contains(id))
            {
                throw new BundleRequestException("controls", $"'{(id.Length > 40 ? id[..40] + "…" : id)}' is not a control of the catalog (e.g. A.6.2.6 or 9.2).");
            }

            var normalized = catalog.Normalize(id);
            if (!controls.Contains(normalized, StringComparer.Ordinal))
            {
                controls.Add(normalized);
            }
        }

        if (controls.Count > MaxControls)
        {
            throw new BundleRequestException("controls", $"at most {MaxControls} controls per bundle.");
        }

        controls.Sort(StringComparer.Ordinal);
        return controls;
    }

    private static string? ReadAiSystem(JsonObject o)
    {
        var node = o["system"];
        if (node is null)
        {
            return null;
        }

        if (node is not JsonValue v || !v.TryGetValue<string>(out var system) || system.Length is 0 or > 100
            || !system.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            throw new BundleRequestException("system", "'system' must be an AI system id from the inventory (letters, digits, '-', '_', '.'; at most 100).");
        }

        return system;
    }
}
