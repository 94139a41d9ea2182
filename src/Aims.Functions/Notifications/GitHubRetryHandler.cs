using System.Globalization;
using System.Net;

namespace Aims.Functions.Notifications;

/// <summary>
/// The HTTP handler under Octokit for the digest issue. Octokit neither retries nor waits out GitHub's limits, and
/// its calls take no CancellationToken, so this handler does all three: it sends through the product's HttpClient
/// with the caller's token, waits out a 429 or a rate-limit 403 (<c>Retry-After</c>, else <c>x-ratelimit-reset</c>)
/// when the wait is short, and retries 502/503/504 with a growing pause. A longer wait is handed back to Octokit,
/// which throws its typed <c>RateLimitExceededException</c>, so the channel fails with a clear message instead of
/// holding the function for an hour. The token goes with every request, so a request to any host but
/// <paramref name="baseUrl"/>'s (a paging link pointing elsewhere) is refused.
/// </summary>
public sealed class GitHubRetryHandler(HttpClient http, Uri baseUrl, TimeProvider time, CancellationToken cancellationToken) : HttpMessageHandler
{
    public const int MaxAttempts = 4;

    /// <summary>The longest wait for a rate limit this handler sits out.</summary>
    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(60);

    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken octokitToken)
    {
        if (request.RequestUri is not { } uri || !string.Equals(uri.GetLeftPart(UriPartial.Authority), baseUrl.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase))
        {
            throw new HttpRequestException($"GitHub issue: refusing to send the token to {request.RequestUri?.GetLeftPart(UriPartial.Authority)}, which is not {baseUrl.GetLeftPart(UriPartial.Authority)}.");
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, octokitToken);
        var token = linked.Token;
        // HttpClient sends a message once: keep the body to build a fresh message for every attempt.
        var body = request.Content is null ? null : await request.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
        for (var attempt = 1; ; attempt++)
        {
            using var copy = Copy(request, body);
            var response = await http.SendAsync(copy, HttpCompletionOption.ResponseContentRead, token).ConfigureAwait(false);
            var wait = WaitBeforeRetry(response, attempt);
            if (wait is null || attempt == MaxAttempts)
            {
                return response;
            }

            response.Dispose();
            await Task.Delay(wait.Value, time, token).ConfigureAwait(false);
        }
    }

    /// <summary>How long to wait before trying again, or null when the answer should go back to Octokit as it is.</summary>
    internal TimeSpan? WaitBeforeRetry(HttpResponseMessage response, int attempt)
    {
        var status = response.StatusCode;
        if (status is HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout)
        {
            return FirstBackoff * Math.Pow(2, attempt - 1);
        }

        var limited = status == HttpStatusCode.TooManyRequests
            || (status == HttpStatusCode.Forbidden && (Header(response, "x-ratelimit-remaining") == "0" || response.Headers.RetryAfter is not null));
        if (!limited)
        {
            return null;
        }

        TimeSpan? wait = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var reset)
                ? DateTimeOffset.FromUnixTimeSeconds(reset) - time.GetUtcNow()
                : null,
        };
        if (wait is null)
        {
            // A secondary limit without a hint: GitHub asks for at least a minute, which is our limit anyway.
            return status == HttpStatusCode.TooManyRequests ? FirstBackoff * Math.Pow(2, attempt) : null;
        }

        return wait.Value <= MaxWait ? (wait.Value < TimeSpan.Zero ? TimeSpan.Zero : wait.Value) : null;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static HttpRequestMessage Copy(HttpRequestMessage request, byte[]? body)
    {
        var copy = new HttpRequestMessage(request.Method, request.RequestUri) { Version = request.Version };
        foreach (var header in request.Headers)
        {
            copy.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        if (body is not null)
        {
            copy.Content = new ByteArrayContent(body);
            foreach (var header in request.Content!.Headers)
            {
                copy.Content.Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        return copy;
    }
}
