using System.Globalization;
using System.Net.Http.Headers;
using Aims.Collectors.Http;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.GitHub;

/// <summary>
/// Installation tokens for a GitHub App: signs a JWT, exchanges it at <c>POST app/installations/{id}/access_tokens</c>,
/// and reuses the token until five minutes before it expires. The token response is never cached or logged.
/// </summary>
internal sealed class GitHubAppCredential : IGitHubCredential
{
    private static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);
    private readonly GitHubAppSettings _app;
    private readonly JsonRestClient _client;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private volatile IssuedToken? _issued;

    public GitHubAppCredential(GitHubAppSettings app, HttpClient http, Uri baseUrl, TimeProvider time, ILogger logger, TimeSpan maxRateLimitWait)
    {
        _app = app;
        _time = time;
        _logger = logger;
        _client = new JsonRestClient(http, baseUrl, new JsonRestClientOptions
        {
            Source = "GitHub",
            RateLimit = new GitHubRateLimitPolicy(),
            DescribeError = GitHubErrors.Describe,
            MaxRateLimitWait = maxRateLimitWait,
            Authorize = (message, _) =>
            {
                // A fresh JWT per attempt: a retry after a long rate-limit wait must not send an expired one.
                message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GitHubAppJwt.Create(_app.AppId, _app.PrivateKeyPem, _time.GetUtcNow()));
                return ValueTask.CompletedTask;
            },
        }, time, logger);
    }

    public async ValueTask<AuthenticationHeaderValue> GetAuthorizationAsync(CancellationToken cancellationToken = default)
    {
        if (Current() is { } current)
        {
            return current;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current() is { } refreshed)
            {
                return refreshed;
            }

            var response = await _client.SendAsync(RestRequest.Post($"app/installations/{_app.InstallationId}/access_tokens", "{}"u8.ToArray()), cancellationToken).ConfigureAwait(false);
            var body = response.ParseObject();
            var token = GitHubJson.String(body, "token");
            var expires = GitHubJson.Date(body, "expires_at");
            if (token is null || expires is null)
            {
                throw SourceRequestException.Malformed(response.Method, response.Url, "the installation token response lacks 'token' or 'expires_at'.");
            }

            var issued = new IssuedToken(new AuthenticationHeaderValue("Bearer", token), expires.Value);
            _issued = issued;
            GitHubLog.InstallationTokenIssued(_logger, _app.InstallationId, issued.ExpiresAt.ToString("O", CultureInfo.InvariantCulture));
            return issued.Header;
        }
        finally
        {
            _gate.Release();
        }
    }

    private AuthenticationHeaderValue? Current() =>
        _issued is { } issued && issued.ExpiresAt - _time.GetUtcNow() > RefreshMargin ? issued.Header : null;

    private sealed record IssuedToken(AuthenticationHeaderValue Header, DateTimeOffset ExpiresAt);
}
