using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// Writes SDK models back to Graph's JSON for the raw payload. Every property the response carried is written
/// (known ones and the additional-data bag), not only the ones changed since deserialization.
/// </summary>
internal static class GraphJson
{
    public static async Task<JsonNode?> ToNodeAsync<T>(T? value, CancellationToken cancellationToken = default)
        where T : IParsable
    {
        if (value is null)
        {
            return null;
        }

        var json = await KiotaJsonSerializer.SerializeAsStringAsync(value, serializeOnlyChangedValues: false, cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(json);
    }

    public static async Task<JsonArray> ToArrayAsync<T>(IEnumerable<T> values, CancellationToken cancellationToken = default)
        where T : IParsable
    {
        var json = await KiotaJsonSerializer.SerializeAsStringAsync(values, serializeOnlyChangedValues: false, cancellationToken).ConfigureAwait(false);
        return JsonNode.Parse(json) as JsonArray ?? [];
    }
}
