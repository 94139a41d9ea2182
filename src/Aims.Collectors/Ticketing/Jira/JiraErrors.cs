using System.Net;
using System.Text.Json;
using Aims.Collectors.Http;

namespace Aims.Collectors.Ticketing.Jira;

/// <summary>
/// Reads Jira's explanation of a refused request (<c>errorMessages</c>, field <c>errors</c>) and says what to fix:
/// the credential settings on a 401, the project permission on a 403.
/// </summary>
internal static class JiraErrors
{
    public static Func<HttpResponseMessage, ReadOnlyMemory<byte>, ProviderError> For(JiraSettings settings) => (response, body) =>
    {
        var message = ProviderErrors.MessageOf(body) ?? FieldErrors(body);
        if (Header(response, "X-Seraph-LoginReason") is { } reason && reason.Contains("CAPTCHA", StringComparison.OrdinalIgnoreCase))
        {
            message = $"{message} (Jira requires a CAPTCHA for this account after failed logins: sign in once in a browser, X-Seraph-LoginReason: {reason})".Trim();
        }

        var needed = response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => settings.UsesBearerToken
                ? $"a valid OAuth 2.0 access token in {settings.SettingsPath}:BearerToken (it may have expired), with the read:jira-work scope"
                : $"valid credentials: check {settings.SettingsPath}:Email and {settings.SettingsPath}:ApiToken (an Atlassian API token of that account, set through Aims__Sources__Jira__ApiToken)",
            HttpStatusCode.Forbidden => settings.UsesBearerToken
                ? "the Browse projects permission on the projects the query names, and the read:jira-work scope on the token"
                : $"the Browse projects permission for {settings.SettingsPath}:Email on the projects the query names",
            _ => null,
        };
        return new ProviderError(message, needed);
    };

    // Validation failures come as {"errorMessages": [], "errors": {"jql": "..."}}.
    private static string? FieldErrors(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("errors", out var errors)
                && errors.ValueKind == JsonValueKind.Object)
            {
                var text = string.Join("; ", errors.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.String).Select(p => $"{p.Name}: {p.Value.GetString()}"));
                return text.Length == 0 ? null : text.Length <= 300 ? text : text[..300] + "…";
            }
        }
        catch (JsonException)
        {
            // Not JSON (an HTML error page): no message to add.
        }

        return null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && string.Join(", ", values) is { Length: > 0 } v ? v : null;
}
