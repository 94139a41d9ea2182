using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Http;

/// <summary>
/// A client for JSON REST sources (GitHub, Jira, ServiceNow): retries transient failures with backoff and jitter,
/// honours <c>Retry-After</c> and the provider's rate-limit signals, makes conditional GETs through an
/// <see cref="IResponseCache"/>, and pages through <c>Link: rel="next"</c> headers. Waits go through the
/// <see cref="TimeProvider"/>. It never logs or stores request headers, so credentials stay out of logs and caches.
/// </summary>
/// <remarks>
/// When the provider says to wait (a spent quota, a rate-limit refusal), every request of the client and of its
/// <see cref="WithMaxInFlight"/> views waits out one shared pause: the limit is the credential's, so requests that
/// were about to go out in parallel would only be refused in turn.
/// </remarks>
public sealed class JsonRestClient
{
    private readonly HttpClient _http;
    private readonly JsonRestClientOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Pacing _pacing;
    private readonly SemaphoreSlim? _inFlight;

    /// <param name="http">Sends the requests; its base address is ignored in favour of <paramref name="baseUrl"/>.</param>
    /// <param name="baseUrl">The API root (<c>https://api.github.com/</c>, <c>https://ghe.example.com/api/v3/</c>); relative targets resolve against it.</param>
    public JsonRestClient(HttpClient http, Uri baseUrl, JsonRestClientOptions options, TimeProvider time, ILogger? logger = null)
    {
        if (!baseUrl.IsAbsoluteUri || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            throw new ArgumentException($"'{baseUrl}' is not an absolute http(s) URL.", nameof(baseUrl));
        }

        if (options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxAttempts must be at least 1.");
        }

        _http = http;
        BaseUrl = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/");
        _options = options;
        _time = time;
        _logger = logger ?? NullLogger.Instance;
        _pacing = new Pacing();
    }

    private JsonRestClient(JsonRestClient shared, int maxInFlight)
    {
        _http = shared._http;
        BaseUrl = shared.BaseUrl;
        _options = shared._options;
        _time = shared._time;
        _logger = shared._logger;
        _pacing = shared._pacing;
        _inFlight = new SemaphoreSlim(maxInFlight, maxInFlight);
    }

    /// <summary>
    /// A view of this client that has at most <paramref name="maxInFlight"/> requests on the wire at once (a collection
    /// job reads independent resources concurrently through one). It shares the connection, the cache and the rate-limit
    /// pauses with this client; only the bound is its own.
    /// </summary>
    public JsonRestClient WithMaxInFlight(int maxInFlight) =>
        maxInFlight >= 1 ? new JsonRestClient(this, maxInFlight) : throw new ArgumentOutOfRangeException(nameof(maxInFlight), maxInFlight, "At least one request must be allowed in flight.");

    public Uri BaseUrl { get; }

    public string Source => _options.Source;

    /// <summary>
    /// Resolves a relative target against <see cref="BaseUrl"/>. An absolute target (a next-page link) must stay under
    /// the base URL: credentials are never sent to another host or path.
    /// </summary>
    public Uri Resolve(string target)
    {
        if (target.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            var absolute = new Uri(target);
            if (!BaseUrl.IsBaseOf(absolute) || !string.Equals(absolute.Authority, BaseUrl.Authority, StringComparison.OrdinalIgnoreCase))
            {
                throw new SourceRequestException("GET", absolute, null,
                    $"{_options.Source}: refusing to follow {absolute.GetLeftPart(UriPartial.Path)}, which is outside the configured API root {BaseUrl}.");
            }

            return absolute;
        }

        return new Uri(BaseUrl, target.TrimStart('/'));
    }

    public Task<RestResponse> GetAsync(string target, CancellationToken cancellationToken = default) =>
        SendAsync(RestRequest.Get(target), cancellationToken);

    /// <summary>
    /// Streams the pages of a listing, following <c>rel="next"</c>. A next link to a page already read is a provider bug
    /// that would loop forever: with <paramref name="progress"/> paging stops there and the progress records the listing
    /// as incomplete (the caller says so in its evidence); without it, the listing fails with an error naming the loop,
    /// so a partial listing never passes for a whole one.
    /// </summary>
    public async IAsyncEnumerable<RestResponse> GetPagesAsync(string target, bool conditional = true, PagingProgress? progress = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var visited = new HashSet<string>(StringComparer.Ordinal);
        string? next = target;
        while (next is not null)
        {
            var page = await SendAsync(RestRequest.Get(next, conditional), cancellationToken).ConfigureAwait(false);
            visited.Add(page.Url.AbsoluteUri);
            progress?.PageRead();
            yield return page;

            var link = LinkHeader.FindNext(page.Link, page.Url);
            if (link is null)
            {
                yield break;
            }

            if (!visited.Add(link.AbsoluteUri))
            {
                HttpLog.RepeatedNextLink(_logger, page.Url.PathAndQuery, link.PathAndQuery);
                var reason = $"GET {page.Url.AbsolutePath} links back to a page already read ({link.PathAndQuery}); paging stopped after {visited.Count - 1} page(s).";
                if (progress is null)
                {
                    throw SourceRequestException.Malformed("GET", page.Url, reason);
                }

                progress.Stopped(reason);
                yield break;
            }

            next = link.AbsoluteUri;
        }
    }

    public async Task<RestResponse> SendAsync(RestRequest request, CancellationToken cancellationToken = default)
    {
        var url = Resolve(request.Target);
        var method = request.Method.Method;
        var conditional = request.Conditional && request.Method == HttpMethod.Get && _options.Cache is not null;
        var cached = conditional ? await _options.Cache!.GetAsync(_options.Source, url, cancellationToken).ConfigureAwait(false) : null;

        for (var attempt = 1; ; attempt++)
        {
            await PauseForQuotaAsync(method, url, cancellationToken).ConfigureAwait(false);
            using var message = new HttpRequestMessage(request.Method, url);
            if (request.Body is { } body)
            {
                message.Content = new ReadOnlyMemoryContent(body);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            }

            if (cached is not null)
            {
                message.Headers.TryAddWithoutValidation("If-None-Match", cached.ETag);
            }

            if (_options.Authorize is { } authorize)
            {
                await authorize(message, cancellationToken).ConfigureAwait(false);
            }

            var (answer, content, failure) = await ExchangeAsync(message, cancellationToken).ConfigureAwait(false);
            if (failure is not null || answer is null)
            {
                answer?.Dispose();
                await RetryAfterFailureAsync(method, url, failure!, attempt, answered: answer is not null, cancellationToken).ConfigureAwait(false);
                continue;
            }

            using (var response = answer)
            {
                var status = (int)response.StatusCode;
                var now = _time.GetUtcNow();
                var signal = _options.RateLimit.Inspect(response, content, now);
                if (signal.QuotaResetsAt is { } reset && reset > now)
                {
                    PauseUntil(reset);
                }

                if (signal.ThrottledFor is { } throttle && !response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotModified)
                {
                    if (throttle > _options.MaxRateLimitWait)
                    {
                        throw new SourceThrottledException(method, url, response.StatusCode, throttle,
                            $"{_options.Source} rate limit: {method} {url.PathAndQuery} answered {status} and asks to wait {Format(throttle)}, longer than the allowed {Format(_options.MaxRateLimitWait)}.");
                    }

                    if (attempt >= _options.MaxAttempts)
                    {
                        throw new SourceThrottledException(method, url, response.StatusCode, throttle,
                            $"{_options.Source} rate limit: {method} {url.PathAndQuery} was still throttled ({status}) after {attempt} attempts.");
                    }

                    // Every request of the credential waits, not only this one (the next attempt waits at the top of the loop);
                    // a quota pause ending at the same moment is the same wait.
                    HttpLog.RateLimited(_logger, method, url.PathAndQuery, status, throttle);
                    PauseUntil(now + throttle);
                    continue;
                }

                if (response.StatusCode == HttpStatusCode.NotModified)
                {
                    if (cached is null)
                    {
                        throw new SourceRequestException(method, url, response.StatusCode, $"{method} {url.PathAndQuery} answered 304 to an unconditional request.");
                    }

                    return new RestResponse
                    {
                        Method = method,
                        Url = url,
                        StatusCode = HttpStatusCode.OK,
                        Body = cached.Body,
                        ETag = cached.ETag,
                        Link = cached.Link,
                        FromCache = true,
                    };
                }

                if (response.IsSuccessStatusCode)
                {
                    var etag = response.Headers.ETag?.ToString();
                    var link = response.Headers.TryGetValues("Link", out var links) ? string.Join(", ", links) : null;
                    if (conditional && etag is not null && cached?.ETag != etag)
                    {
                        await RememberAsync(url, new CachedResponse(etag, content, link), cancellationToken).ConfigureAwait(false);
                    }

                    return new RestResponse
                    {
                        Method = method,
                        Url = url,
                        StatusCode = response.StatusCode,
                        Body = content,
                        ETag = etag,
                        Link = link,
                    };
                }

                if (IsTransientStatus(status))
                {
                    var retryAfter = RetryTiming.RetryAfter(response, now);
                    var delay = retryAfter ?? RetryTiming.Backoff(attempt, _options.BaseDelay, _options.MaxBackoff, _options.Random);
                    if (attempt < _options.MaxAttempts && delay <= _options.MaxRateLimitWait)
                    {
                        HttpLog.RetryingAfterStatus(_logger, method, url.PathAndQuery, status, delay, attempt, _options.MaxAttempts);
                        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                        continue;
                    }

                    var said = Explain(response, content);
                    var failed = $"{method} {url.PathAndQuery} failed with {status} {response.ReasonPhrase} after {attempt} attempt(s){said}";
                    throw status switch
                    {
                        429 => new SourceThrottledException(method, url, response.StatusCode, retryAfter,
                            $"{_options.Source} throttled {method} {url.PathAndQuery} ({status}) after {attempt} attempt(s){(retryAfter is { } ra ? $"; it asks to wait {Format(ra)}" : "")}{said}"),
                        // Bad gateway, unavailable, gateway timeout: the service (or what fronts it) is down, not this resource.
                        502 or 503 or 504 => new SourceUnavailableException(method, url, response.StatusCode, failed),
                        _ => new SourceRequestException(method, url, response.StatusCode, failed),
                    };
                }

                throw Refusal(method, url, response, content);
            }
        }
    }

    private SourceRequestException Refusal(string method, Uri url, HttpResponseMessage response, byte[] content)
    {
        var status = (int)response.StatusCode;
        var described = Describe(response, content);
        var said = described.Message is { } m ? $": {m}" : ".";
        return status switch
        {
            401 or 403 => new SourceAuthException(method, url, response.StatusCode,
                $"{_options.Source} refused {method} {url.PathAndQuery} ({status} {response.ReasonPhrase}){said}"
                + (described.MissingPermission is { } p ? $" The request needs: {p}." : ""),
                described.MissingPermission),
            404 or 410 => new SourceNotFoundException(method, url, response.StatusCode,
                $"{method} {url.PathAndQuery}: not found ({status}){said}"),
            _ => new SourceRequestException(method, url, response.StatusCode,
                $"{method} {url.PathAndQuery} failed with {status} {response.ReasonPhrase}{said}"),
        };
    }

    private string Explain(HttpResponseMessage response, byte[] content) =>
        Describe(response, content).Message is { } m ? $": {m}" : ".";

    private ProviderError Describe(HttpResponseMessage response, byte[] content)
    {
        var described = (_options.DescribeError ?? ProviderErrors.Describe)(response, content);

        // The provider's text goes into evidence and logs; mask anything credential-shaped it may echo.
        return described with
        {
            Message = described.Message is null ? null : SecretRedactor.RedactText(described.Message),
            MissingPermission = described.MissingPermission is null ? null : SecretRedactor.RedactText(described.MissingPermission),
        };
    }

    /// <summary>
    /// One exchange on the wire, inside this view's in-flight bound: the response and its whole body, or the transient
    /// failure that ended it (with the response when the source answered and the body broke off).
    /// </summary>
    private async Task<(HttpResponseMessage? Response, byte[] Content, Exception? Failure)> ExchangeAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        if (_inFlight is not null)
        {
            await _inFlight.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            HttpResponseMessage response;
            try
            {
                response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransientFailure(ex, cancellationToken))
            {
                return (null, [], ex);
            }

            try
            {
                return (response, await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (IsTransientFailure(ex, cancellationToken))
            {
                return (response, [], ex);
            }
            catch
            {
                response.Dispose();
                throw;
            }
        }
        finally
        {
            _inFlight?.Release();
        }
    }

    /// <summary>Asks every request of the client and its views to wait until <paramref name="until"/> (the later ask wins).</summary>
    private void PauseUntil(DateTimeOffset until)
    {
        lock (_pacing)
        {
            if (until.UtcTicks > _pacing.UntilTicks)
            {
                _pacing.UntilTicks = until.UtcTicks;
            }
        }
    }

    /// <summary>
    /// Waits out the pause in force, if any. Concurrent requests share one wait (one timer), each leaving it on its own
    /// cancellation; a pause longer than <see cref="JsonRestClientOptions.MaxRateLimitWait"/> fails the request unsent.
    /// </summary>
    private async Task PauseForQuotaAsync(string method, Uri url, CancellationToken cancellationToken)
    {
        Task pause;
        long ticks;
        lock (_pacing)
        {
            ticks = _pacing.UntilTicks;
            if (ticks == 0)
            {
                return;
            }

            var wait = new DateTimeOffset(ticks, TimeSpan.Zero) - _time.GetUtcNow();
            if (wait <= TimeSpan.Zero)
            {
                _pacing.Clear();
                return;
            }

            if (wait > _options.MaxRateLimitWait)
            {
                throw new SourceThrottledException(method, url, null, wait,
                    $"{_options.Source} rate limit: the quota is spent for another {Format(wait)}, longer than the allowed {Format(_options.MaxRateLimitWait)}; {method} {url.PathAndQuery} was not sent.");
            }

            if (_pacing.Pause is null || _pacing.PauseTicks != ticks)
            {
                HttpLog.QuotaPause(_logger, _options.Source, wait);

                // No cancellation token: the wait is shared; each request stops waiting on its own cancellation below.
                _pacing.Pause = Task.Delay(wait, _time, CancellationToken.None);
                _pacing.PauseTicks = ticks;
            }

            pause = _pacing.Pause;
        }

        await pause.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (_pacing)
        {
            if (_pacing.UntilTicks == ticks)
            {
                _pacing.Clear();
            }
        }
    }

    // answered: the source sent a response whose body broke off (that resource's problem) rather than no response at all (an outage).
    private async Task RetryAfterFailureAsync(string method, Uri url, Exception ex, int attempt, bool answered, CancellationToken cancellationToken)
    {
        var what = ex is TaskCanceledException ? "timed out" : ex.Message;
        if (attempt >= _options.MaxAttempts)
        {
            var message = $"{method} {url.PathAndQuery} failed after {attempt} attempt(s): {what}";
            throw answered ? new SourceRequestException(method, url, null, message, ex) : new SourceUnavailableException(method, url, null, message, ex);
        }

        var delay = RetryTiming.Backoff(attempt, _options.BaseDelay, _options.MaxBackoff, _options.Random);
        HttpLog.RetryingAfterNetworkError(_logger, method, url.PathAndQuery, what, delay, attempt, _options.MaxAttempts);
        await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
    }

    private async Task RememberAsync(Uri url, CachedResponse entry, CancellationToken cancellationToken)
    {
        try
        {
            await _options.Cache!.PutAsync(_options.Source, url, entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The cache only saves requests; failing to fill it must not fail the collection.
            HttpLog.CacheWriteFailed(_logger, url.AbsolutePath, ex.Message);
        }
    }

    private static bool IsTransientStatus(int status) => status is 408 or 429 or 500 or 502 or 503 or 504;

    // Network failures and HttpClient timeouts (a TaskCanceledException while the caller has not cancelled).
    private static bool IsTransientFailure(Exception ex, CancellationToken cancellationToken) =>
        ex is HttpRequestException or IOException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    /// <summary>The pause shared by a client and its views (guarded by locking the instance).</summary>
    private sealed class Pacing
    {
        /// <summary>No request goes out before this moment (UTC ticks); 0 when there is no pause.</summary>
        public long UntilTicks;

        /// <summary>The wait in progress for <see cref="PauseTicks"/>.</summary>
        public Task? Pause;

        public long PauseTicks;

        public void Clear()
        {
            UntilTicks = 0;
            Pause = null;
            PauseTicks = 0;
        }
    }

    private static string Format(TimeSpan t) => t.TotalSeconds < 120 ? $"{Math.Ceiling(t.TotalSeconds)} s" : $"{Math.Ceiling(t.TotalMinutes)} min";
}
