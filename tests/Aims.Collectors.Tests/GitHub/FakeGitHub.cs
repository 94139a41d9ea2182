using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Testing;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Tests.GitHub;

/// <summary>A request the fake received.</summary>
internal sealed record FakeRequest(string Method, string Path, string PathAndQuery, IReadOnlyDictionary<string, string> Query, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name.ToLowerInvariant());

    public string? Q(string name) => Query.GetValueOrDefault(name);
}

/// <summary>A response the fake sends.</summary>
internal sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null)
{
    public static FakeResponse Ok(string json, IReadOnlyDictionary<string, string>? headers = null) => new(200, json, headers);

    public static FakeResponse Ok(JsonNode json) => new(200, json.ToJsonString());

    public static FakeResponse Error(int status, string message, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, new JsonObject { ["message"] = message, ["documentation_url"] = "https://docs.github.com/rest" }.ToJsonString(), headers);

    public static FakeResponse NotFound() => Error(404, "Not Found");
}

/// <summary>
/// A fake GitHub REST API on 127.0.0.1 (plain HTTP unless asked for HTTPS), optionally under a path prefix like GitHub Enterprise
/// Server's <c>/api/v3</c>. Routes are "METHOD path" without the prefix and the query; unknown routes answer 404.
/// Every 200 carries a weak ETag of its body and a matching <c>If-None-Match</c> gets a 304, as GitHub does.
/// </summary>
internal sealed class FakeGitHub : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Func<FakeRequest, FakeResponse>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<FakeRequest> _requests = new();
    private readonly string _prefix;
    private LocalHttpServer _server = null!;
    private int _inFlight;
    private int _maxInFlight;

    private FakeGitHub(string prefix) => _prefix = prefix.TrimEnd('/');

    public Uri ApiRoot => new(_server.BaseUri, _prefix.TrimStart('/') + (_prefix.Length > 0 ? "/" : ""));

    public IReadOnlyList<FakeRequest> Requests => _requests.ToArray();

    public bool ETags { get; set; } = true;

    /// <summary>How long the fake takes to answer a request (none by default), to make answers arrive out of order.</summary>
    public Func<FakeRequest, TimeSpan>? Latency { get; set; }

    /// <summary>The most requests the fake was answering at once.</summary>
    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public HttpMessageHandler CreateClientHandler() => _server.CreateClientHandler();

    public static async Task<FakeGitHub> StartAsync(string prefix = "", bool https = false)
    {
        var fake = new FakeGitHub(prefix);
        fake._server = await LocalHttpServer.StartAsync(fake.HandleAsync, https);
        return fake;
    }

    public void On(string method, string path, Func<FakeRequest, FakeResponse> respond) => _routes[$"{method} /{path.TrimStart('/')}"] = respond;

    public void Get(string path, Func<FakeRequest, FakeResponse> respond) => On("GET", path, respond);

    public void Get(string path, string json) => Get(path, _ => FakeResponse.Ok(json));

    public void Get(string path, FakeResponse response) => Get(path, _ => response);

    /// <summary>Answers the requests to a route with <paramref name="responses"/> in turn; the last one repeats.</summary>
    public void Sequence(string path, params FakeResponse[] responses)
    {
        var next = -1;
        Get(path, _ => responses[Math.Min(Interlocked.Increment(ref next), responses.Length - 1)]);
    }

    /// <summary>
    /// Serves a JSON array in pages of <paramref name="pageSize"/> (<c>?page=n</c>), with <c>Link</c> headers to the next and
    /// last pages as GitHub sends them (absolute URLs, the other query parameters kept).
    /// </summary>
    public void Paged(string path, JsonArray items, int pageSize, int? extraPagesAdvertised = null)
    {
        Get(path, request =>
        {
            var page = int.TryParse(request.Q("page"), NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : 1;
            var pages = Math.Max(1, (int)Math.Ceiling(items.Count / (double)pageSize)) + (extraPagesAdvertised ?? 0);
            var slice = new JsonArray(items.Skip((page - 1) * pageSize).Take(pageSize).Select(i => i?.DeepClone()).ToArray());
            var links = new List<string>();
            if (page < pages)
            {
                links.Add($"<{PageUrl(request, page + 1)}>; rel=\"next\"");
                links.Add($"<{PageUrl(request, pages)}>; rel=\"last\"");
            }

            if (page > 1)
            {
                links.Add($"<{PageUrl(request, 1)}>; rel=\"first\"");
                links.Add($"<{PageUrl(request, page - 1)}>; rel=\"prev\"");
            }

            return FakeResponse.Ok(slice.ToJsonString(), links.Count > 0 ? new Dictionary<string, string> { ["Link"] = string.Join(", ", links) } : null);
        });
    }

    public string PageUrl(FakeRequest request, int page)
    {
        var query = request.Query.Where(q => q.Key != "page").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value)}").Append($"page={page}");
        return $"{ApiRoot.AbsoluteUri.TrimEnd('/')}{request.Path}?{string.Join('&', query)}";
    }

    public IReadOnlyList<FakeRequest> RequestsTo(string path) =>
        Requests.Where(r => r.Path == "/" + path.TrimStart('/')).ToArray();

    public async ValueTask DisposeAsync() => await _server.DisposeAsync();

    private async Task HandleAsync(HttpContext context)
    {
        var rawPath = context.Request.Path.Value ?? "/";
        string body;
        using (var reader = new StreamReader(context.Request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString(), StringComparer.Ordinal);
        var query = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        var inside = rawPath.StartsWith(_prefix + "/", StringComparison.Ordinal);
        var path = inside ? rawPath[_prefix.Length..] : rawPath;
        var request = new FakeRequest(context.Request.Method, path, path + context.Request.QueryString.Value, query, headers, body);
        _requests.Enqueue(request);

        // Counted until the answer is about to be written: the client frees its slot only after reading the answer.
        var inFlight = Interlocked.Increment(ref _inFlight);
        for (var max = Volatile.Read(ref _maxInFlight); inFlight > max; max = Volatile.Read(ref _maxInFlight))
        {
            Interlocked.CompareExchange(ref _maxInFlight, inFlight, max);
        }

        try
        {
            if (Latency?.Invoke(request) is { } latency && latency > TimeSpan.Zero)
            {
                await Task.Delay(latency);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }

        var response = inside && _routes.TryGetValue($"{request.Method} {path}", out var route) ? route(request) : FakeResponse.NotFound();
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers["x-github-api-version-selected"] = "2022-11-28";
        if (response.Status == 200 && ETags)
        {
            var etag = $"W/\"{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(response.Body)))[..32]}\"";
            context.Response.Headers.ETag = etag;
            if (request.Header("If-None-Match") == etag)
            {
                context.Response.StatusCode = 304;
                return;
            }
        }

        context.Response.StatusCode = response.Status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(response.Body);
    }
}
