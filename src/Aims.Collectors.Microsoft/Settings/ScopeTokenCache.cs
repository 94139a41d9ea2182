using System.Collections.Concurrent;
using Azure.Core;

namespace Aims.Collectors.Microsoft.Settings;

/// <summary>
/// Keeps each scope's token until shortly before it expires. The Azure CLI credential runs <c>az</c> for every token
/// request and keeps nothing, so without this a run spawned a process per Graph call; parallel jobs asking for the
/// same scope at once wait for one request instead of each running <c>az</c>.
/// </summary>
internal sealed class ScopeTokenCache(TokenCredential inner, TimeProvider time) : TokenCredential
{
    // Renew this long before expiry, so a token never expires between being handed out and being used.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        var entry = _entries.GetOrAdd(KeyOf(requestContext), _ => new Entry());
        if (entry.Fresh(time.GetUtcNow()) is { } cached)
        {
            return cached;
        }

        await entry.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (entry.Fresh(time.GetUtcNow()) is { } refreshed)
            {
                return refreshed;
            }

            var token = await inner.GetTokenAsync(requestContext, cancellationToken).ConfigureAwait(false);
            entry.Token = token;
            return token;
        }
        finally
        {
            entry.Gate.Release();
        }
    }

    // Claims and tenant change which token is issued; the parent request id does not.
    private static string KeyOf(TokenRequestContext context) =>
        string.Join(' ', context.Scopes) + "\n" + context.TenantId + "\n" + context.Claims + "\n" + context.IsCaeEnabled;

    private sealed class Entry
    {
        public SemaphoreSlim Gate { get; } = new(1, 1);

        public AccessToken? Token { get; set; }

        public AccessToken? Fresh(DateTimeOffset now) =>
            Token is { } token && token.ExpiresOn - Margin > now && (token.RefreshOn is not { } refresh || refresh > now) ? token : null;
    }
}
