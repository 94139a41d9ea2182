using System.Collections.Concurrent;
using Aims.Testing;
using Microsoft.AspNetCore.Http;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>A request a fake received: method, path and query, headers of interest, body.</summary>
public sealed record RecordedRequest(string Method, string PathAndQuery, string? Authorization, string Body);

/// <summary>A <see cref="LocalHttpServer"/> that records every request and answers through a function of it.</summary>
public sealed class RecordingServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private RecordingServer(LocalHttpServer server) => Server = server;

    public LocalHttpServer Server { get; }

    public Uri BaseUri => Server.BaseUri;

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToList();

    public static async Task<RecordingServer> StartAsync(Func<RecordedRequest, HttpResponse, Task> respond, bool https = false)
    {
        RecordingServer? recording = null;
        var server = await LocalHttpServer.StartAsync(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var request = new RecordedRequest(context.Request.Method, context.Request.Path + context.Request.QueryString,
                context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, await reader.ReadToEndAsync());
            recording!._requests.Enqueue(request);
            await respond(request, context.Response);
        }, https);
        recording = new RecordingServer(server);
        return recording;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
