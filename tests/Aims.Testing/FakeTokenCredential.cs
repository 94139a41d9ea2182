using Azure.Core;

namespace Aims.Testing;

/// <summary>A credential that hands out a fixed token and records the scopes asked for. Never touches the network.</summary>
public sealed class FakeTokenCredential(string token = "fake-test-token") : TokenCredential
{
    private readonly List<string[]> _requests = [];

    public IReadOnlyList<string[]> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(requestContext.Scopes);
        }

        return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
