using System.Net;

namespace Aims.Collectors.Http;

/// <summary>
/// A request to an evidence source failed. The message names the method, the URL path and the HTTP status
/// (or the network failure), never a header or a token. Subclasses exist only where a caller acts differently.
/// </summary>
public class SourceRequestException : Exception
{
    public SourceRequestException(string method, Uri url, HttpStatusCode? status, string message, Exception? inner = null)
        : base(message, inner)
    {
        Method = method;
        Url = url;
        StatusCode = status;
    }

    public string Method { get; }

    /// <summary>The URL asked for (carries no credential: tokens travel in headers only).</summary>
    public Uri Url { get; }

    /// <summary>The path and query, as messages show them.</summary>
    public string Path => Url.PathAndQuery;

    /// <summary>The HTTP status, or null when no response arrived (network error, timeout) or the body was unreadable.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The provider answered 2xx but the body is not the JSON expected.</summary>
    public static SourceRequestException Malformed(string method, Uri url, string detail, Exception? inner = null) =>
        new(method, url, null, $"{method} {url.PathAndQuery} returned malformed JSON: {detail}", inner);
}
