using System.Net;

namespace Aims.Collectors.Http;

/// <summary>
/// The source kept throttling after the allowed retries, or asked for a longer wait than the client may take.
/// <see cref="RetryAfter"/> says when trying again makes sense, when known.
/// </summary>
public sealed class SourceThrottledException(string method, Uri url, HttpStatusCode? status, TimeSpan? retryAfter, string message)
    : SourceRequestException(method, url, status, message)
{
    public TimeSpan? RetryAfter { get; } = retryAfter;
}
