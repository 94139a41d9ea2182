using Aims.Collectors.Microsoft.Settings;
using Azure.Core;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Collectors.Microsoft.Tests.Settings;

public sealed class ScopeTokenCacheTests
{
    private static readonly TokenRequestContext Graph = new(["https://graph.microsoft.com/.default"]);
    private static readonly TokenRequestContext Arm = new(["https://management.azure.com/.default"]);

    [Fact]
    public async Task Parallel_requests_for_one_scope_fetch_one_token()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var inner = new CountingCredential(time);
        var cache = new ScopeTokenCache(inner, time);

        var tokens = await Task.WhenAll(Enumerable.Range(0, 21).Select(_ => cache.GetTokenAsync(Graph, default).AsTask()));

        Assert.Equal(1, inner.Calls);
        Assert.All(tokens, t => Assert.Equal("token-1", t.Token));
    }

    [Fact]
    public async Task Each_scope_has_its_own_token()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var inner = new CountingCredential(time);
        var cache = new ScopeTokenCache(inner, time);

        var graph = await cache.GetTokenAsync(Graph, default);
        var arm = await cache.GetTokenAsync(Arm, default);
        await cache.GetTokenAsync(Graph, default);

        Assert.Equal(2, inner.Calls);
        Assert.NotEqual(graph.Token, arm.Token);
    }

    [Fact]
    public async Task A_token_is_renewed_shortly_before_it_expires()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));
        var inner = new CountingCredential(time);
        var cache = new ScopeTokenCache(inner, time);
        await cache.GetTokenAsync(Graph, default);

        time.Advance(TimeSpan.FromMinutes(50));
        await cache.GetTokenAsync(Graph, default);
        Assert.Equal(1, inner.Calls);

        time.Advance(TimeSpan.FromMinutes(6));
        var renewed = await cache.GetTokenAsync(Graph, default);
        Assert.Equal(2, inner.Calls);
        Assert.Equal("token-2", renewed.Token);
    }

    /// <summary>Hands out a new token valid for an hour of the given clock on every call, and counts the calls.</summary>
    private sealed class CountingCredential(TimeProvider time) : TokenCredential
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var n = Interlocked.Increment(ref _calls);
            return new AccessToken($"token-{n}", time.GetUtcNow().AddHours(1));
        }

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            // Slow like a process start, so parallel callers overlap.
            await Task.Delay(50, cancellationToken);
            return GetToken(requestContext, cancellationToken);
        }
    }
}
