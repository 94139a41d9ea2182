using System.Net;
using System.Net.Sockets;
using Aims.Collectors.Http;
using Azure;

namespace Aims.Functions.Jobs;

/// <summary>
/// Decides whether a failed job is worth delivering again: a source outage that outlasted the HTTP
/// client's retries (<see cref="SourceOutage"/>), network errors, timeouts, throttling (408/429) and server errors (5xx)
/// from storage are; anything else (bad settings, 401/403/404, malformed data) is not, and is recorded as
/// collector-error evidence instead.
/// </summary>
public static class TransientFailure
{
    public static bool IsTransient(Exception exception, CancellationToken cancellationToken = default)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case SourceRequestException source:
                    // The HTTP sources' client already retried; an outage (502/503/504, no answer) is worth a later delivery, a refusal or a 500 is not.
                    return SourceOutage.Is(source);
                case AggregateException aggregate when aggregate.InnerExceptions.Any(inner => IsTransient(inner, cancellationToken)):
                    return true;
                case HttpRequestException { StatusCode: null, InnerException: System.Security.Authentication.AuthenticationException }:
                    // A TLS failure (bad certificate) does not heal by retrying.
                    return false;
                case HttpRequestException http:
                    return http.StatusCode is null || IsTransientStatus((int)http.StatusCode);
                case RequestFailedException storage:
                    return storage.Status == 0 || IsTransientStatus(storage.Status);
                case TaskCanceledException or OperationCanceledException when !cancellationToken.IsCancellationRequested:
                    // A client timeout, not the host cancelling the invocation.
                    return true;
                case TimeoutException or SocketException:
                    return true;
                case FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException:
                    return false;
                case IOException:
                    // Lock contention on the index or ledger: the next delivery usually succeeds.
                    return true;
            }
        }

        return false;
    }

    private static bool IsTransientStatus(int status) =>
        status is (int)HttpStatusCode.RequestTimeout or (int)HttpStatusCode.TooManyRequests || status >= 500;
}
