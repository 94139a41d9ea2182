using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Http;

/// <summary>Log messages of the HTTP plumbing. They name methods, paths and statuses; never a header value or a token.</summary>
internal static partial class HttpLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "{Method} {Path} answered {Status}; retrying in {Delay} (attempt {Attempt} of {MaxAttempts}).")]
    public static partial void RetryingAfterStatus(ILogger logger, string method, string path, int status, TimeSpan delay, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "{Method} {Path} failed ({Error}); retrying in {Delay} (attempt {Attempt} of {MaxAttempts}).")]
    public static partial void RetryingAfterNetworkError(ILogger logger, string method, string path, string error, TimeSpan delay, int attempt, int maxAttempts);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "{Method} {Path} was rate limited ({Status}); waiting {Delay} before retrying.")]
    public static partial void RateLimited(ILogger logger, string method, string path, int status, TimeSpan delay);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "{Source} rate limit: pausing every request for {Delay} (a spent quota or a rate-limit refusal).")]
    public static partial void QuotaPause(ILogger logger, string source, TimeSpan delay);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning, Message = "{Path} links back to a page already read ({Next}); stopping paging to avoid a loop.")]
    public static partial void RepeatedNextLink(ILogger logger, string path, string next);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning, Message = "The response cache entry {Name} is unusable; sending an unconditional request.")]
    public static partial void CacheEntryUnusable(ILogger logger, string name);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Information, Message = "The response to {Path} looks like it holds a credential; not caching it.")]
    public static partial void CacheEntrySkipped(ILogger logger, string path);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning, Message = "Could not store the response cache entry for {Path} ({Error}); the next run sends an unconditional request.")]
    public static partial void CacheWriteFailed(ILogger logger, string path, string error);
}
