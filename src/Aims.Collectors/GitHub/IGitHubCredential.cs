using System.Net.Http.Headers;

namespace Aims.Collectors.GitHub;

/// <summary>Supplies the <c>Authorization</c> header for GitHub API calls.</summary>
internal interface IGitHubCredential
{
    ValueTask<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken = default);
}

/// <summary>A fixed token (personal access token, Actions token).</summary>
internal sealed class GitHubTokenCredential(string token) : IGitHubCredential
{
    private readonly AuthenticationHeaderValue _header = new("Bearer", token);

    public ValueTask<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(_header);
}
