using System.Net;
using System.Text.Json;
using Aims.Collectors.Http;

namespace Aims.Collectors.Ticketing.ServiceNow;

/// <summary>
/// Reads ServiceNow's explanation of a refused request (<c>{"error": {"message", "detail"}}</c>) and says what to fix:
/// the credential settings on a 401, the table's ACL and roles on a 403.
/// </summary>
internal static class ServiceNowErrors
{
    public static Func<HttpResponseMessage, ReadOnlyMemory<byte>, ProviderError> For(ServiceNowSettings settings) => (response, body) =>
    {
        var message = ProviderErrors.MessageOf(body);
        if (Detail(body) is { } detail && message is not null && !message.Contains(detail, StringComparison.Ordinal))
        {
            message = $"{message} ({detail})";
        }

        var table = TableOf(response.RequestMessage?.RequestUri);
        var needed = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => settings.UsesBearerToken
                ? $"a valid OAuth 2.0 access token in {settings.SettingsPath}:BearerToken (it may have expired)"
                : $"valid credentials: check {settings.SettingsPath}:Username and {settings.SettingsPath}:Password (set through Aims__Sources__ServiceNow__Password), and that the user is active and allowed web service access",
            HttpStatusCode.Forbidden => table == ServiceNowRecordReader.ApprovalTable
                ? $"read access to table {table} (its ACLs): give the integration user the approver_user or itil role"
                : $"read access to table {table ?? "?"} (its ACLs): give the integration user a role that can read it, e.g. itil for incident and change_request",
            _ => null,
        };
        return new ProviderError(message, needed);
    };

    /// <summary>ServiceNow's "nothing (more) matches" 404, which is an empty page rather than a failure.</summary>
    public static bool IsNoRecords(SourceNotFoundException ex) => ex.Message.Contains("No Record found", StringComparison.OrdinalIgnoreCase);

    private static string? TableOf(Uri? url)
    {
        var segments = url?.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var i = Array.IndexOf(segments, "table");
        return i >= 0 && i + 1 < segments.Length ? Uri.UnescapeDataString(segments[i + 1]) : null;
    }

    private static string? Detail(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.Object
                && error.TryGetProperty("detail", out var detail)
                && detail.ValueKind == JsonValueKind.String
                && detail.GetString() is { Length: > 0 } text
                    ? (text.Length <= 300 ? text : text[..300] + "…")
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
