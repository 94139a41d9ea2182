using System.Collections.Concurrent;

namespace Aims.Testing.Azurite;

/// <summary>What the proxy does to one request.</summary>
public enum Fault
{
    None,

    /// <summary>Answer 500 without forwarding: the service never sees the request.</summary>
    Fail500,

    /// <summary>Forward, then answer 503 instead of the service's answer: it happened, but the client thinks it failed.</summary>
    Fail503AfterForwarding,

    /// <summary>Hold the request past the client's per-try timeout, then forward it anyway (a late arrival).</summary>
    DelayBeforeForwarding,

    /// <summary>Forward, then hold the answer past the client's per-try timeout.</summary>
    DelayAfterForwarding,

    /// <summary>Drop the connection without forwarding.</summary>
    AbortBeforeForwarding,

    /// <summary>Forward, then drop the connection instead of answering.</summary>
    AbortAfterForwarding,
}

/// <summary>One request the proxy forwarded: method, path, <c>comp</c> query value, <c>If-None-Match</c> header and the service's status.</summary>
public sealed record ProxiedExchange(string Method, string Path, string Comp, string IfNoneMatch, int Status);

/// <summary>
/// A Kestrel app on 127.0.0.1 between a store and Azurite that forwards requests and injects the faults a real
/// network and service produce. A request's fault comes from <c>decide(request, sequence)</c>.
/// </summary>
public sealed class FaultInjectingProxy : IAsyncDisposable
{
    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Connection", "Keep-Alive", "Transfer-Encoding", "Expect", "Proxy-Connection", "Upgrade", "Content-Length",
    };

    private readonly HttpClient _upstream;
    private readonly LocalHttpServer _server;
    private readonly int[] _counts = new int[Enum.GetValues<Fault>().Length];

    private FaultInjectingProxy(LocalHttpServer server, HttpClient upstream)
    {
        _server = server;
        _upstream = upstream;
    }

    /// <summary>The proxy's root; requests to <c>{BaseUri}{path}</c> go to <c>{upstream}{path}</c>.</summary>
    public Uri BaseUri => _server.BaseUri;

    public int Count(Fault fault) => Volatile.Read(ref _counts[(int)fault]);

    /// <summary>Every request that reached the service, with the service's answer, in the order the answers came.</summary>
    public ConcurrentQueue<ProxiedExchange> Exchanges { get; } = new();

    public int Faults => Enum.GetValues<Fault>().Where(f => f != Fault.None).Sum(Count);

    public static async Task<FaultInjectingProxy> StartAsync(Uri upstreamRoot, Func<HttpRequest, int, Fault> decide, TimeSpan holdFor)
    {
        var upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(60) };
        FaultInjectingProxy? proxy = null;
        var sequence = 0;
        var server = await LocalHttpServer.StartAsync(async context =>
        {
            var fault = decide(context.Request, Interlocked.Increment(ref sequence));
            Interlocked.Increment(ref proxy!._counts[(int)fault]);
            await proxy.HandleAsync(context, upstreamRoot, fault, holdFor);
        });
        proxy = new FaultInjectingProxy(server, upstream);
        return proxy;
    }

    /// <summary>
    /// Faults chosen at random (seeded) for a share of all requests, spread over every kind; delays, which cost a
    /// whole per-try timeout each, come half as often as the others.
    /// </summary>
    public static Func<HttpRequest, int, Fault> RandomFaults(int seed, double share)
    {
        var random = new Random(seed);
        Fault[] kinds =
        [
            Fault.Fail500, Fault.Fail500, Fault.Fail503AfterForwarding, Fault.Fail503AfterForwarding,
            Fault.AbortBeforeForwarding, Fault.AbortBeforeForwarding, Fault.AbortAfterForwarding, Fault.AbortAfterForwarding,
            Fault.DelayBeforeForwarding, Fault.DelayAfterForwarding,
        ];
        return (_, _) =>
        {
            lock (random)
            {
                return random.NextDouble() < share ? kinds[random.Next(kinds.Length)] : Fault.None;
            }
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _upstream.Dispose();
    }

    private async Task HandleAsync(HttpContext context, Uri upstreamRoot, Fault fault, TimeSpan holdFor)
    {
        switch (fault)
        {
            case Fault.Fail500:
                context.Response.StatusCode = 500;
                return;
            case Fault.AbortBeforeForwarding:
                context.Abort();
                return;
            case Fault.DelayBeforeForwarding:
                await HoldAsync(holdFor);
                break;
        }

        using var upstreamResponse = await ForwardAsync(context.Request, upstreamRoot);
        Exchanges.Enqueue(new ProxiedExchange(
            context.Request.Method, context.Request.Path.Value ?? "", context.Request.Query["comp"].ToString(),
            context.Request.Headers.IfNoneMatch.ToString(), (int)upstreamResponse.StatusCode));
        switch (fault)
        {
            case Fault.Fail503AfterForwarding:
                context.Response.StatusCode = 503;
                return;
            case Fault.AbortAfterForwarding:
                context.Abort();
                return;
            case Fault.DelayAfterForwarding:
                await HoldAsync(holdFor);
                break;
        }

        try
        {
            context.Response.StatusCode = (int)upstreamResponse.StatusCode;
            foreach (var header in upstreamResponse.Headers.Concat(upstreamResponse.Content.Headers))
            {
                if (!HopByHop.Contains(header.Key))
                {
                    context.Response.Headers[header.Key] = header.Value.ToArray();
                }
            }

            var body = await upstreamResponse.Content.ReadAsByteArrayAsync();
            if (body.Length > 0 && !HttpMethods.IsHead(context.Request.Method))
            {
                context.Response.ContentLength = body.Length;
                await context.Response.Body.WriteAsync(body, context.RequestAborted);
            }
            else if (upstreamResponse.Content.Headers.ContentLength is { } length)
            {
                context.Response.ContentLength = length;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client gave up (its per-try timeout): nothing left to answer.
        }
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpRequest request, Uri upstreamRoot)
    {
        var target = new Uri(upstreamRoot, request.Path.ToUriComponent().TrimStart('/') + request.QueryString.ToUriComponent());
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        var body = new MemoryStream();
        await request.Body.CopyToAsync(body);
        if (body.Length > 0 || HttpMethods.IsPut(request.Method) || HttpMethods.IsPost(request.Method))
        {
            message.Content = new ByteArrayContent(body.ToArray());
        }

        foreach (var (name, values) in request.Headers)
        {
            if (HopByHop.Contains(name))
            {
                continue;
            }

            if (!message.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                message.Content?.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        // The service is asked even when the client has already given up: that is the point of these faults.
        return await _upstream.SendAsync(message, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
    }

    private static async Task HoldAsync(TimeSpan holdFor)
    {
        // Not tied to the client's connection: a request the client abandoned still reaches the service late.
        await Task.Delay(holdFor);
    }
}
