using System.Net;

namespace Aims.Collectors.Http;

/// <summary>
/// The source is down, not wrong: it kept answering 502, 503 or 504, or did not answer at all (network failure,
/// timeout), through all of the client's retries. Collectors let this end the job instead of recording one
/// collector-error per subject, so a queue host can deliver the job again later (<see cref="SourceOutage"/>); a 500 or a
/// refusal concerns one resource and stays a per-subject collector-error.
/// </summary>
public sealed class SourceUnavailableException(string method, Uri url, HttpStatusCode? status, string message, Exception? inner = null)
    : SourceRequestException(method, url, status, message, inner);

/// <summary>Tells an outage (retrying later may succeed) from a refusal or bad data (it will not).</summary>
public static class SourceOutage
{
    /// <summary>True for <see cref="SourceUnavailableException"/>.</summary>
    public static bool Is(Exception exception) => exception is SourceUnavailableException;
}
