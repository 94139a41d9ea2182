using System.Net;
using Azure;
using Azure.Identity;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>Turns what Azure.Core throws into one line an operator can act on.</summary>
internal static class ArmFailure
{
    public static async Task<T> CallAsync<T>(ArmOperation operation, Func<Task<T>> call, CancellationToken cancellationToken = default)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception ex) when (Describe(operation, ex, cancellationToken) is { } failure)
        {
            throw new ArmCallException(operation, failure.Status, failure.Message, ex);
        }
    }

    public static async Task CallAsync(ArmOperation operation, Func<Task> call, CancellationToken cancellationToken = default) =>
        await CallAsync(
            operation,
            async () =>
            {
                await call().ConfigureAwait(false);
                return true;
            },
            cancellationToken).ConfigureAwait(false);

    public static (int? Status, string Message)? Describe(ArmOperation operation, Exception ex, CancellationToken cancellationToken = default) => ex switch
    {
        ArmCallException => null,
        OperationCanceledException when cancellationToken.IsCancellationRequested => null,
        RequestFailedException { Status: > 0 } rf => (rf.Status, StatusMessage(operation, rf.Status, rf.ErrorCode, rf.Message)),
        RequestFailedException rf => (null, $"{operation} failed: {FirstLine(rf.Message)}"),
        AuthenticationFailedException auth => (null, $"{operation}: could not get a Resource Manager token ({FirstLine(auth.Message)})."),
        HttpRequestException http => (null, $"{operation} failed: {FirstLine(http.Message)}"),
        OperationCanceledException => (null, $"{operation} timed out."),
        System.Text.Json.JsonException json => (null, $"{operation} returned a body that is not the expected JSON ({FirstLine(json.Message)})."),
        InvalidDataException data => (null, $"{operation}: {data.Message}"),
        _ => null,
    };

    public static string StatusMessage(ArmOperation operation, int status, string? errorCode, string? message)
    {
        var reason = Enum.IsDefined(typeof(HttpStatusCode), status) ? $" {(HttpStatusCode)status}" : "";
        var code = string.IsNullOrEmpty(errorCode) ? "" : $" ({errorCode})";
        return status switch
        {
            403 => $"{operation} returned 403{reason}{code}: assign the identity the Azure role {operation.Role} (or another role with {operation.Action}) on the subscription.",
            401 => $"{operation} returned 401{reason}{code}: the token was rejected; check the tenant and the Resource Manager audience.",
            _ => $"{operation} returned {status}{reason}{code}{(message is null ? "" : ": " + ErrorMessage(message))}.",
        };
    }

    // Azure.Core's message repeats status, headers and content; the first line carries the service's own message.
    private static string ErrorMessage(string message) => FirstLine(message).TrimEnd('.');

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim();
        return line.Length > 300 ? line[..300] + "…" : line;
    }
}
