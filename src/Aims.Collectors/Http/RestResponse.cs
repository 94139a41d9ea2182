using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aims.Collectors.Http;

/// <summary>A successful (2xx or cache-served 304) response, body read in full (one page at most).</summary>
public sealed class RestResponse
{
    public required string Method { get; init; }

    public required Uri Url { get; init; }

    public required HttpStatusCode StatusCode { get; init; }

    public required ReadOnlyMemory<byte> Body { get; init; }

    public string? ETag { get; init; }

    /// <summary>The <c>Link</c> header (paging), from the response or from the cache entry on a 304.</summary>
    public string? Link { get; init; }

    /// <summary>True when the server answered 304 and the body came from the response cache.</summary>
    public bool FromCache { get; init; }

    /// <summary>Parses the body. Throws <see cref="SourceRequestException"/> naming the path when it is not JSON.</summary>
    public JsonNode ParseJson()
    {
        try
        {
            return JsonNode.Parse(Body.Span) ?? throw SourceRequestException.Malformed(Method, Url, "the body is the JSON literal null.");
        }
        catch (JsonException ex)
        {
            throw SourceRequestException.Malformed(Method, Url, $"{ex.Message}", ex);
        }
    }

    /// <summary>Parses a body that must be a JSON object.</summary>
    public JsonObject ParseObject() =>
        ParseJson() as JsonObject ?? throw SourceRequestException.Malformed(Method, Url, "expected a JSON object.");

    /// <summary>Parses a body that must be a JSON array.</summary>
    public JsonArray ParseArray() =>
        ParseJson() as JsonArray ?? throw SourceRequestException.Malformed(Method, Url, "expected a JSON array.");

    /// <summary>Parses a body that must be an object holding an array under <paramref name="property"/> (list envelopes).</summary>
    public JsonArray ParseArrayProperty(string property) =>
        ParseObject()[property] as JsonArray ?? throw SourceRequestException.Malformed(Method, Url, $"expected an array '{property}'.");
}
