using System.Collections.Concurrent;
using Aims.Testing;
using Microsoft.AspNetCore.Http;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>
/// A provider having an outage, on 127.0.0.1: every request is answered 503 Service Unavailable with the JSON error
/// body GitHub and Jira send (<c>{"message": ...}</c>, <c>{"errorMessages": [...]}</c>). It records the paths asked for.
/// </summary>
public sealed class OutageServer : IAsyncDisposable
{
    private readonly LocalHttpServer _server;
    private readonly ConcurrentQueue<string> _paths;

    private OutageServer(LocalHttpServer server, ConcurrentQueue<string> paths)
    {
        _server = server;
        _paths = paths;
    }

    public Uri BaseUri => _server.BaseUri;

    public IReadOnlyCollection<string> Paths => _paths;

    public static async Task<OutageServer> StartAsync()
    {
        var paths = new ConcurrentQueue<string>();
        var server = await LocalHttpServer.StartAsync(async context =>
        {
            paths.Enqueue($"{context.Request.Method} {context.Request.Path}");
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"message":"Service Unavailable","errorMessages":["The service is temporarily unavailable."]}""");
        });
        return new OutageServer(server, paths);
    }

    /// <summary>Settings that point the real GitHub and Jira collectors at this server, with no client-side retry wait.</summary>
    public Dictionary<string, string?> SourceSettings() => new()
    {
        ["Aims:Sources:GitHub:BaseUrl"] = BaseUri.AbsoluteUri,
        ["Aims:Sources:GitHub:Token"] = "ghp_outagetesttoken000000000000000000000",
        ["Aims:Sources:GitHub:Repositories"] = "contoso/credit-model",
        ["Aims:Sources:GitHub:MaxRateLimitWait"] = "00:00:00",
        ["Aims:Sources:Jira:BaseUrl"] = BaseUri.AbsoluteUri,
        ["Aims:Sources:Jira:Email"] = "aims@contoso.example",
        ["Aims:Sources:Jira:ApiToken"] = "jira-outage-test-token",
        ["Aims:Sources:Jira:Kinds"] = "incidents",
        ["Aims:Sources:Jira:MaxRateLimitWait"] = "00:00:00",
    };

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
