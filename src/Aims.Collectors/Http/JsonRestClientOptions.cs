namespace Aims.Collectors.Http;

/// <summary>How a <see cref="JsonRestClient"/> talks to one source.</summary>
public sealed record JsonRestClientOptions
{
    /// <summary>The source name (<c>GitHub</c>, <c>Jira</c>): the response cache's namespace and the name in messages.</summary>
    public required string Source { get; init; }

    /// <summary>Attempts per request, the first included.</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first backoff; it doubles per retry up to <see cref="MaxBackoff"/>.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The longest wait the client takes for a rate limit or <c>Retry-After</c>; longer asks fail as throttled.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromMinutes(15);

    public IRateLimitPolicy RateLimit { get; init; } = RetryAfterOnlyPolicy.Instance;

    /// <summary>Conditional GETs go through this cache; null means none.</summary>
    public IResponseCache? Cache { get; init; }

    /// <summary>
    /// Adds credentials to each attempt (called per attempt, so a refreshed token is used on a retry). The client
    /// never logs or stores what it adds.
    /// </summary>
    public Func<HttpRequestMessage, CancellationToken, ValueTask>? Authorize { get; init; }

    /// <summary>Turns a refused response into the provider's explanation (message and missing permission).</summary>
    public Func<HttpResponseMessage, ReadOnlyMemory<byte>, ProviderError>? DescribeError { get; init; }

    /// <summary>Jitter source for backoff; tests may fix it.</summary>
    public Random Random { get; init; } = Random.Shared;
}

/// <summary>What a provider said about a failed request.</summary>
/// <param name="Message">The provider's own message, if any.</param>
/// <param name="MissingPermission">The permission or scope the provider says the request needs, if it says.</param>
public sealed record ProviderError(string? Message, string? MissingPermission)
{
    public static ProviderError None { get; } = new(null, null);
}
