using System.Globalization;
using Aims.Collectors.Http;

namespace Aims.Collectors.GitHub;

/// <summary>
/// GitHub's rate limits. Primary: <c>x-ratelimit-remaining: 0</c> with <c>x-ratelimit-reset</c> (epoch seconds) means
/// no request succeeds before the reset. Secondary: a 403 or 429 with <c>retry-after</c>, or whose message mentions a
/// secondary rate limit, means wait (at least a minute when GitHub does not say how long).
/// </summary>
public sealed class GitHubRateLimitPolicy : IRateLimitPolicy
{
    public static readonly TimeSpan SecondaryLimitWait = TimeSpan.FromSeconds(60);

    // GitHub's reset is whole seconds; one more avoids arriving a moment early.
    private static readonly TimeSpan ResetMargin = TimeSpan.FromSeconds(1);

    public RateLimitSignal Inspect(HttpResponseMessage response, ReadOnlySpan<byte> body, DateTimeOffset now)
    {
        var remaining = Header(response, "x-ratelimit-remaining");
        var reset = Header(response, "x-ratelimit-reset") is { } epoch ? DateTimeOffset.FromUnixTimeSeconds(epoch) + ResetMargin : (DateTimeOffset?)null;
        var quotaResetsAt = remaining == 0 && reset > now ? reset : null;

        var status = (int)response.StatusCode;
        if (status is not (403 or 429))
        {
            return new RateLimitSignal(null, quotaResetsAt);
        }

        if (RetryTiming.RetryAfter(response, now) is { } retryAfter)
        {
            return new RateLimitSignal(retryAfter, quotaResetsAt);
        }

        if (remaining == 0 && reset is { } r)
        {
            var wait = r - now;
            return new RateLimitSignal(wait > ResetMargin ? wait : ResetMargin, quotaResetsAt);
        }

        return status == 429 || MentionsSecondaryLimit(body)
            ? new RateLimitSignal(SecondaryLimitWait, quotaResetsAt)
            : new RateLimitSignal(null, quotaResetsAt);
    }

    private static bool MentionsSecondaryLimit(ReadOnlySpan<byte> body)
    {
        var message = ProviderErrors.MessageOf(body.ToArray());
        return message is not null
            && (message.Contains("secondary rate limit", StringComparison.OrdinalIgnoreCase)
                || message.Contains("abuse detection", StringComparison.OrdinalIgnoreCase));
    }

    private static long? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
            ? v
            : null;
}
