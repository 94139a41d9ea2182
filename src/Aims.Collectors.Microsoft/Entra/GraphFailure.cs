using System.Net;
using Azure.Identity;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using GraphServiceException = Microsoft.Graph.ServiceException;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>Turns what the Graph SDK throws into one line an operator can act on.</summary>
internal static class GraphFailure
{
    /// <summary>Runs one Graph call, turning its failure into a <see cref="GraphCallException"/> that names the call.</summary>
    public static async Task<T> CallAsync<T>(GraphOperation operation, Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(operation, ex, cancellationToken) is { } failure)
        {
            throw new GraphCallException(operation, failure.Status, failure.Message, ex);
        }
    }

    /// <summary>Null for exceptions that are not a failed call (cancellation by the caller, programming errors).</summary>
    public static (int? Status, string Message)? Describe(GraphOperation operation, Exception ex, CancellationToken cancellationToken = default)
    {
        switch (ex)
        {
            case GraphCallException:
                return null;
            case OperationCanceledException when cancellationToken.IsCancellationRequested:
                return null;
            case GraphPagingLoopException loop:
                return (null, $"{operation}: {loop.Message}");
            case GraphPagingForeignHostException foreign:
                return (null, $"{operation}: {foreign.Message}");
            case ApiException api when api.ResponseStatusCode > 0:
                return (api.ResponseStatusCode, StatusMessage(operation, api));
            case AuthenticationFailedException auth:
                return (null, $"{operation}: could not get a Microsoft Graph token ({FirstLine(auth.Message)}).");
            case HttpRequestException http:
                return (null, $"{operation} failed: {FirstLine(http.Message)}");
            case OperationCanceledException:
                return (null, $"{operation} timed out.");
            case System.Text.Json.JsonException json:
                return (null, $"{operation} returned a body that is not valid JSON ({FirstLine(json.Message)}).");
            case GraphServiceException service:
                return (null, $"{operation} failed: {FirstLine(service.Message)}");
            default:
                return null;
        }
    }

    private static string StatusMessage(GraphOperation operation, ApiException api)
    {
        var status = api.ResponseStatusCode;
        var reason = Enum.IsDefined(typeof(HttpStatusCode), status) ? $" {(HttpStatusCode)status}" : "";
        var detail = api is ODataError { Error: { } error } ? $" ({error.Code}: {FirstLine(error.Message ?? "")})" : "";
        return status switch
        {
            403 => $"{operation} returned 403{reason}{detail}: grant the application the Microsoft Graph permission {operation.Permission} (with admin consent).",
            401 => $"{operation} returned 401{reason}{detail}: the token was rejected; check the tenant, the client id and the Graph scope.",
            429 => $"{operation} returned 429{reason}{detail}: still throttled after the SDK's retries.",
            _ => $"{operation} returned {status}{reason}{detail}.",
        };
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
