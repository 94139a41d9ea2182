namespace Aims.Collectors.Http;

/// <summary>
/// A provider's rate-limit conventions. The client asks it about every response: whether this response was a
/// refusal because of a rate limit (retry after a wait), and whether the quota is spent until some moment
/// (pause before the next request instead of spending a request on a certain refusal).
/// </summary>
public interface IRateLimitPolicy
{
    RateLimitSignal Inspect(HttpResponseMessage response, ReadOnlySpan<byte> body, DateTimeOffset now);
}

/// <summary>What a response says about rate limits.</summary>
/// <param name="ThrottledFor">Set when the provider refused this request because of a rate limit: wait this long, then retry it.</param>
/// <param name="QuotaResetsAt">Set when the quota is exhausted: no request will succeed before this moment.</param>
public readonly record struct RateLimitSignal(TimeSpan? ThrottledFor, DateTimeOffset? QuotaResetsAt)
{
    public static RateLimitSignal None => default;
}

/// <summary>
/// For providers without rate-limit headers beyond <c>Retry-After</c>: the client's generic handling of
/// 429/503 with <c>Retry-After</c> is all there is.
/// </summary>
public sealed class RetryAfterOnlyPolicy : IRateLimitPolicy
{
    public static RetryAfterOnlyPolicy Instance { get; } = new();

    public RateLimitSignal Inspect(HttpResponseMessage response, ReadOnlySpan<byte> body, DateTimeOffset now) => RateLimitSignal.None;
}
