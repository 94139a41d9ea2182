namespace Aims.Collectors.Http;

/// <summary>Retry waits: the server's <c>Retry-After</c>, else exponential backoff with jitter.</summary>
public static class RetryTiming
{
    /// <summary>The wait a <c>Retry-After</c> header asks for (delta seconds or an HTTP date), never negative; null when absent.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now)
    {
        var header = response.Headers.RetryAfter;
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }

        return null;
    }

    /// <summary>
    /// Backoff before retry number <paramref name="attempt"/> (1 = the first retry): base × 2^(attempt-1), capped,
    /// then jittered into [half, full] so many clients throttled together do not return in lockstep.
    /// </summary>
    public static TimeSpan Backoff(int attempt, TimeSpan baseDelay, TimeSpan maxDelay, Random random)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, exponent));
        var jittered = ceiling * (0.5 + (random.NextDouble() * 0.5));
        return TimeSpan.FromMilliseconds(jittered);
    }
}
