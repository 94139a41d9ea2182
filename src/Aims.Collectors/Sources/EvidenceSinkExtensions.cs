using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Collection;

namespace Aims.Collectors.Sources;

/// <summary>How collectors record an item with the JSON it was read from.</summary>
public static class EvidenceSinkExtensions
{
    public const string JsonMediaType = "application/json";

    /// <summary>
    /// Stores <paramref name="raw"/> as the item's JSON raw payload, then the item pointing at it. The bytes are those of
    /// <see cref="JsonNode.ToJsonString"/>, written as UTF-8 directly rather than through a string.
    /// </summary>
    public static Task EmitWithRawAsync(this IEvidenceSink sink, EvidenceDraft draft, JsonNode raw, CancellationToken cancellationToken = default)
    {
        var buffer = new ArrayBufferWriter<byte>(16 * 1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            raw.WriteTo(writer);
        }

        return sink.EmitWithRawAsync(draft, buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>Stores <paramref name="raw"/> (JSON bytes) as the item's raw payload, then the item pointing at it.</summary>
    public static async Task EmitWithRawAsync(this IEvidenceSink sink, EvidenceDraft draft, ReadOnlyMemory<byte> raw, CancellationToken cancellationToken = default)
    {
        var rawRef = await sink.PutRawAsync(raw, JsonMediaType, cancellationToken).ConfigureAwait(false);
        await sink.EmitAsync(draft with { Raw = rawRef, RawMediaType = JsonMediaType }, cancellationToken).ConfigureAwait(false);
    }
}
