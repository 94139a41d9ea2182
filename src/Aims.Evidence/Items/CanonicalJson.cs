using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aims.Evidence.Items;

/// <summary>
/// The canonical JSON form: object keys sorted ordinally at every depth, no insignificant whitespace,
/// strings escaped minimally, numbers as written. Hashes are taken over these UTF-8 bytes, so the same
/// content always hashes the same regardless of how it was built.
/// </summary>
public static class CanonicalJson
{
    /// <summary>The writer settings of the canonical form, for types that write their canonical bytes field by field.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new()
    {
        Indented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    public static byte[] ToBytes(JsonNode? node)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            Write(writer, node);
        }

        return buffer.ToArray();
    }

    public static string ToText(JsonNode? node) => Encoding.UTF8.GetString(ToBytes(node));

    [ThreadStatic]
    private static IncrementalHash? t_sha256;

    public static string Sha256Hex(ReadOnlySpan<byte> bytes)
    {
        Span<byte> digest = stackalloc byte[32];
        Sha256(bytes, digest);
        return Convert.ToHexStringLower(digest);
    }

    /// <summary>
    /// SHA-256 of a short input through one reused hash object per thread. The one-shot <see cref="SHA256.HashData(ReadOnlySpan{byte})"/>
    /// sets up a new digest context on every call, which on Linux (OpenSSL 3) costs several times the hashing of a
    /// 1 KB item: bundles and verification hash hundreds of thousands of names and items.
    /// </summary>
    public static void Sha256(ReadOnlySpan<byte> bytes, Span<byte> digest)
    {
        var hash = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(bytes);
        hash.GetHashAndReset(digest);
    }

    public static string Sha256Hex(string text) => Sha256Hex(Encoding.UTF8.GetBytes(text));

    /// <summary>Formats a timestamp in UTC with a fixed shape: <c>2026-11-23T02:00:00.000Z</c>.</summary>
    public static string Timestamp(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static void Write(Utf8JsonWriter writer, JsonNode? node)
    {
        switch (node)
        {
            case null:
                writer.WriteNullValue();
                break;
            case JsonObject obj:
                writer.WriteStartObject();
                foreach (var (key, value) in obj.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    writer.WritePropertyName(key);
                    Write(writer, value);
                }

                writer.WriteEndObject();
                break;
            case JsonArray array:
                writer.WriteStartArray();
                foreach (var element in array)
                {
                    Write(writer, element);
                }

                writer.WriteEndArray();
                break;
            case JsonValue value:
                WriteValue(writer, value);
                break;
        }
    }

    private static void WriteValue(Utf8JsonWriter writer, JsonValue value)
    {
        // Strings stay strings even when they look like dates; only CLR date values are normalized to UTC.
        if (value.TryGetValue<string>(out var text))
        {
            writer.WriteStringValue(text);
        }
        else if (value.TryGetValue<DateTimeOffset>(out var dto))
        {
            writer.WriteStringValue(Timestamp(dto));
        }
        else if (value.TryGetValue<DateTime>(out var dt))
        {
            writer.WriteStringValue(Timestamp(new DateTimeOffset(DateTime.SpecifyKind(dt, dt.Kind == DateTimeKind.Unspecified ? DateTimeKind.Utc : dt.Kind))));
        }
        else
        {
            value.WriteTo(writer);
        }
    }
}
