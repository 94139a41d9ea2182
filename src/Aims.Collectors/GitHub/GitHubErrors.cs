using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>Reads GitHub's explanation of a refused request: its message and the permission or scope it needs.</summary>
internal static class GitHubErrors
{
    public static ProviderError Describe(HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        var message = ProviderErrors.MessageOf(body);
        var needed = new List<string>();
        if (Header(response, "x-accepted-github-permissions") is { } permissions)
        {
            needed.Add($"GitHub App / fine-grained token permission {permissions}");
        }

        if (Header(response, "x-accepted-oauth-scopes") is { } scopes)
        {
            var has = Header(response, "x-oauth-scopes");
            needed.Add($"token scope {scopes}{(has is null ? "" : $" (the token has: {has})")}");
        }

        return new ProviderError(message, needed.Count > 0 ? string.Join("; or ", needed) : null);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) && string.Join(", ", values) is { Length: > 0 } v ? v : null;
}
