using System.Collections.Concurrent;
using System.Text;
using Aims.Testing;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Microsoft.Tests.Infrastructure;

/// <summary>A request the fake served, as the test wants to look at it.</summary>
public sealed record RecordedRequest(string Method, string Path, IQueryCollection Query, string? Authorization, string Body)
{
    public string? QueryValue(string name) => Query.TryGetValue(name, out var v) ? v.ToString() : null;
}

/// <summary>
/// A fake provider API (Graph or Resource Manager) on a local HTTPS server: routes by method and path, records
/// every request, and answers unknown paths with a 404 the test can see in <see cref="Unmatched"/>.
/// </summary>
public sealed class FakeApi : IAsyncDisposable
{
    /// <summary>The <see cref="HttpContext.Items"/> key under which a handler finds the request body (already read).</summary>
    public const string BodyItem = "fake-api-body";

    private readonly List<(string Method, string Path, Func<HttpContext, Task> Handler)> _routes = [];
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _unmatched = new();
    private LocalHttpServer? _server;

    public LocalHttpServer Server => _server ?? throw new InvalidOperationException("Not started.");

    /// <summary>The server root without a trailing slash, e.g. <c>https://127.0.0.1:40123</c>.</summary>
    public string Root => Server.BaseUri.GetLeftPart(UriPartial.Authority);

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public IReadOnlyList<string> Unmatched => _unmatched.ToArray();

    public static async Task<FakeApi> StartAsync()
    {
        var api = new FakeApi();
        api._server = await LocalHttpServer.StartAsync(api.HandleAsync, https: true);
        return api;
    }

    /// <summary>
    /// Answers <paramref name="method"/> on <paramref name="path"/> (compared without case, query ignored; a trailing
    /// <c>*</c> matches every path below). Later routes win.
    /// </summary>
    public FakeApi On(string method, string path, Func<HttpContext, Task> handler)
    {
        lock (_routes)
        {
            _routes.Insert(0, (method, path, handler));
        }

        return this;
    }

    /// <summary>Answers with a JSON body; <c>{root}</c> in it becomes the server root (for nextLinks).</summary>
    public FakeApi OnJson(string method, string path, string json, int status = 200) =>
        On(method, path, context => WriteJsonAsync(context, json, status));

    /// <summary>Forgets every route and request, so one server can serve test after test.</summary>
    public FakeApi Reset()
    {
        lock (_routes)
        {
            _routes.Clear();
        }

        _requests.Clear();
        _unmatched.Clear();
        return this;
    }

    /// <summary>Forgets the requests served so far (routes stay), so a test can count one run's requests.</summary>
    public void ClearRequests()
    {
        _requests.Clear();
        _unmatched.Clear();
    }

    public int Count(string method, string path) =>
        Requests.Count(r => r.Method == method && string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<RecordedRequest> To(string method, string path) =>
        Requests.Where(r => r.Method == method && string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase)).ToList();

    public Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json.Replace("{root}", Root, StringComparison.Ordinal));
    }

    private static bool Matches(string route, string path) =>
        route.EndsWith('*')
            ? path.StartsWith(route[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(route, path, StringComparison.OrdinalIgnoreCase);

    public ValueTask DisposeAsync() => _server?.DisposeAsync() ?? ValueTask.CompletedTask;

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        string body;
        using (var reader = new StreamReader(request.Body, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync();
        }

        context.Items[BodyItem] = body;
        var path = request.Path.Value ?? "/";
        _requests.Enqueue(new RecordedRequest(request.Method, path, request.Query, request.Headers.Authorization.ToString(), body));
        Func<HttpContext, Task>? handler;
        lock (_routes)
        {
            handler = _routes.FirstOrDefault(r => (r.Method == request.Method || r.Method == "*") && Matches(r.Path, path)).Handler;
        }

        if (handler is null)
        {
            _unmatched.Enqueue($"{request.Method} {path}{request.QueryString}");
            await WriteJsonAsync(context, """{"error":{"code":"NotFound","message":"The fake has no route for this path."}}""", 404);
            return;
        }

        await handler(context);
    }
}
