using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using Aims.Functions.WorkerHost.Rpc;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Aims.Functions.WorkerHost;

/// <summary>
/// Drives a published isolated worker the way the Functions host does: starts <c>dotnet {app}.dll</c> pointed at a gRPC
/// server on 127.0.0.1, answers its <c>StartStream</c> with <c>WorkerInitRequest</c>, asks for the function metadata,
/// loads every function, then invokes functions on request (HTTP functions also get the real HTTP request at the
/// worker's own Kestrel, paired by <c>x-ms-invocation-id</c>). What it cannot do is the host's own work: queue polling,
/// poison moves, timer schedules; the caller plays those.
/// </summary>
public sealed class FunctionsWorkerHost : IAsyncDisposable
{
    private readonly WebApplication _server;
    private readonly Process _process;
    private readonly WorkerConnection _connection;
    private readonly ConcurrentQueue<string> _output;
    private readonly Dictionary<string, RpcFunctionMetadata> _functions;

    private FunctionsWorkerHost(WebApplication server, Process process, WorkerConnection connection, ConcurrentQueue<string> output,
        Dictionary<string, RpcFunctionMetadata> functions, Uri? httpUri, TimeSpan startup)
    {
        _server = server;
        _process = process;
        _connection = connection;
        _output = output;
        _functions = functions;
        HttpUri = httpUri;
        Startup = startup;
    }

    /// <summary>The functions the worker reported, by name.</summary>
    public IReadOnlyDictionary<string, RpcFunctionMetadata> Functions => _functions;

    /// <summary>The worker's own HTTP endpoint (the <c>HttpUri</c> capability), for HTTP-triggered functions.</summary>
    public Uri? HttpUri { get; }

    /// <summary>From starting the process to every function loaded: ready for its first invocation.</summary>
    public TimeSpan Startup { get; }

    /// <summary>What the worker logged over the stream, then its standard output and error.</summary>
    public IReadOnlyList<string> Logs =>
        _connection.Logs.Select(l => $"[{l.Level}] {l.Category}: {l.Message}{(l.Exception is { } e ? " " + e.Message : "")}").Concat(_output).ToList();

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// Starts the worker published in <paramref name="appDirectory"/> (<paramref name="assembly"/>, e.g. <c>Aims.Functions.dll</c>)
    /// with <paramref name="environment"/> as its app settings, and returns once every function is loaded.
    /// </summary>
    public static async Task<FunctionsWorkerHost> StartAsync(string appDirectory, string assembly, IReadOnlyDictionary<string, string?> environment, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l => l.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => { o.MaxReceiveMessageSize = null; o.MaxSendMessageSize = null; });
        builder.Services.AddSingleton<WorkerRendezvous>();
        var server = builder.Build();
        server.MapGrpcService<FunctionRpcService>();
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = new Uri(server.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        var workerId = Guid.NewGuid().ToString();
        var info = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = appDirectory };
        foreach (var arg in new[]
        {
            Path.Combine(appDirectory, assembly), "--functions-uri", $"http://127.0.0.1:{address.Port}/", "--functions-worker-id", workerId,
            "--functions-request-id", Guid.NewGuid().ToString(), "--functions-grpc-max-message-length", "2147483647",
        })
        {
            info.ArgumentList.Add(arg);
        }

        var home = Directory.CreateTempSubdirectory("aims-worker-home-").FullName;
        info.Environment["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory;
        info.Environment["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated";
        info.Environment["HOME"] = home;
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var output = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start.");
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue(e.Data); } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { output.Enqueue("stderr: " + e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(timeout);
            var connection = await WaitOrExitAsync(server.Services.GetRequiredService<WorkerRendezvous>().WaitAsync(workerId), process, output, deadline.Token).ConfigureAwait(false);

            var init = connection.Expect("init");
            await connection.SendAsync(new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                WorkerInitRequest = new WorkerInitRequest { HostVersion = "4.1000.0", WorkerDirectory = appDirectory, FunctionAppDirectory = appDirectory },
            }, deadline.Token).ConfigureAwait(false);
            var initResponse = (await WaitOrExitAsync(init, process, output, deadline.Token).ConfigureAwait(false)).WorkerInitResponse;
            Ensure(initResponse.Result, "WorkerInitRequest");
            Uri? httpUri = initResponse.Capabilities.TryGetValue("HttpUri", out var http) ? new Uri(http.EndsWith('/') ? http : http + "/") : null;

            var metadata = connection.Expect("metadata");
            await connection.SendAsync(new StreamingMessage
            {
                RequestId = Guid.NewGuid().ToString(),
                FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = appDirectory },
            }, deadline.Token).ConfigureAwait(false);
            var metadataResponse = (await WaitOrExitAsync(metadata, process, output, deadline.Token).ConfigureAwait(false)).FunctionMetadataResponse;
            Ensure(metadataResponse.Result, "FunctionsMetadataRequest");

            var functions = new Dictionary<string, RpcFunctionMetadata>(StringComparer.Ordinal);
            foreach (var function in metadataResponse.FunctionMetadataResults)
            {
                var loaded = connection.Expect("load:" + function.FunctionId);
                await connection.SendAsync(new StreamingMessage
                {
                    RequestId = Guid.NewGuid().ToString(),
                    FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.FunctionId, Metadata = function },
                }, deadline.Token).ConfigureAwait(false);
                Ensure((await WaitOrExitAsync(loaded, process, output, deadline.Token).ConfigureAwait(false)).FunctionLoadResponse.Result, $"FunctionLoadRequest {function.Name}");
                functions[function.Name] = function;
            }

            return new FunctionsWorkerHost(server, process, connection, output, functions, httpUri, clock.Elapsed);
        }
        catch
        {
            Kill(process);
            await server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Invokes <paramref name="function"/> with its input bindings and trigger metadata, as the host does.</summary>
    public async Task<InvocationResponse> InvokeAsync(string function, IEnumerable<ParameterBinding> inputs, IReadOnlyDictionary<string, TypedData>? triggerMetadata = null, CancellationToken cancellationToken = default)
    {
        var invocationId = Guid.NewGuid().ToString();
        var response = StartInvocation(function, invocationId, inputs, triggerMetadata, cancellationToken, out var sent);
        await sent.ConfigureAwait(false);
        return (await WaitOrExitAsync(response, _process, _output, cancellationToken).ConfigureAwait(false)).InvocationResponse;
    }

    /// <summary>
    /// Invokes an HTTP-triggered function: the invocation over gRPC and, at the same time, the HTTP request at the worker's
    /// Kestrel (its URI relative to the worker's root) carrying the invocation id; returns both answers.
    /// </summary>
    public async Task<(InvocationResponse Invocation, HttpResponseMessage Http)> InvokeHttpAsync(
        string function, HttpClient client, HttpRequestMessage request, IReadOnlyDictionary<string, string>? routeValues = null, CancellationToken cancellationToken = default)
    {
        if (HttpUri is null)
        {
            throw new InvalidOperationException("The worker did not report an HttpUri capability: is ConfigureFunctionsWebApplication called?");
        }

        var invocationId = Guid.NewGuid().ToString();
        request.RequestUri = new Uri(HttpUri, request.RequestUri!.OriginalString.TrimStart('/'));
        request.Headers.Add("x-ms-invocation-id", invocationId);
        var metadata = new Dictionary<string, TypedData>(StringComparer.Ordinal);
        foreach (var (name, value) in routeValues ?? new Dictionary<string, string>())
        {
            metadata[name] = new TypedData { String = value };
        }

        var binding = _functions[function].Bindings.First(b => b.Value.Type.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase)).Key;
        var rpcHttp = new RpcHttp { Method = request.Method.Method, Url = request.RequestUri.AbsoluteUri };
        var response = StartInvocation(function, invocationId, [new ParameterBinding { Name = binding, Data = new TypedData { Http = rpcHttp } }], metadata, cancellationToken, out var sent);
        await sent.ConfigureAwait(false);
        var http = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return ((await WaitOrExitAsync(response, _process, _output, cancellationToken).ConfigureAwait(false)).InvocationResponse, http);
    }

    private Task<StreamingMessage> StartInvocation(string function, string invocationId, IEnumerable<ParameterBinding> inputs,
        IReadOnlyDictionary<string, TypedData>? triggerMetadata, CancellationToken cancellationToken, out Task sent)
    {
        if (!_functions.TryGetValue(function, out var metadata))
        {
            throw new ArgumentException($"The worker has no function '{function}' (it has: {string.Join(", ", _functions.Keys)}).", nameof(function));
        }

        var request = new InvocationRequest
        {
            InvocationId = invocationId,
            FunctionId = metadata.FunctionId,
            // The worker requires a trace context; a fresh W3C traceparent per invocation, as the host sends.
            TraceContext = new RpcTraceContext { TraceParent = $"00-{ActivityTraceId.CreateRandom()}-{ActivitySpanId.CreateRandom()}-01" },
        };
        request.InputData.AddRange(inputs);
        foreach (var (name, value) in triggerMetadata ?? new Dictionary<string, TypedData>())
        {
            request.TriggerMetadata[name] = value;
        }

        var response = _connection.Expect("invocation:" + invocationId);
        sent = _connection.SendAsync(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), InvocationRequest = request }, cancellationToken);
        return response;
    }

    /// <summary>A queue trigger's input: the message text and the metadata the host adds.</summary>
    public static (ParameterBinding[] Inputs, Dictionary<string, TypedData> Metadata) QueueMessage(string binding, string text, string messageId, long dequeueCount, DateTimeOffset insertedAt) =>
        ([new ParameterBinding { Name = binding, Data = new TypedData { String = text } }],
         new Dictionary<string, TypedData>(StringComparer.Ordinal)
         {
             ["Id"] = new() { String = messageId },
             ["DequeueCount"] = new() { Json = dequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture) },
             ["PopReceipt"] = new() { String = Guid.NewGuid().ToString("N") },
             ["InsertionTime"] = new() { Json = $"\"{insertedAt.UtcDateTime:O}\"" },
         });

    /// <summary>A timer trigger's input, as the host serializes <c>TimerInfo</c>.</summary>
    public static ParameterBinding[] TimerTick(string binding, DateTimeOffset? last, DateTimeOffset? next, bool isPastDue) =>
    [
        new ParameterBinding
        {
            Name = binding,
            Data = new TypedData
            {
                Json = new System.Text.Json.Nodes.JsonObject
                {
                    ["Schedule"] = new System.Text.Json.Nodes.JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = next is null ? null : new System.Text.Json.Nodes.JsonObject
                    {
                        ["Last"] = (last ?? next.Value.AddDays(-1)).UtcDateTime.ToString("O"),
                        ["Next"] = next.Value.UtcDateTime.ToString("O"),
                        ["LastUpdated"] = (last ?? next.Value.AddDays(-1)).UtcDateTime.ToString("O"),
                    },
                    ["IsPastDue"] = isPastDue,
                }.ToJsonString(),
            },
        },
    ];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await _connection.SendAsync(new StreamingMessage { RequestId = Guid.NewGuid().ToString(), WorkerTerminate = new WorkerTerminate { GracePeriod = new Duration { Seconds = 5 } } }, CancellationToken.None).ConfigureAwait(false);
                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(15));
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException or IOException or Grpc.Core.RpcException)
        {
            // It did not leave on request: end it.
        }
        finally
        {
            Kill(_process);
            _process.Dispose();
            await _server.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _server.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task<T> WaitOrExitAsync<T>(Task<T> task, Process process, ConcurrentQueue<string> output, CancellationToken cancellationToken)
    {
        var exited = process.WaitForExitAsync(cancellationToken);
        var first = await Task.WhenAny(task, exited).ConfigureAwait(false);
        if (first == task)
        {
            return await task.ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        throw new InvalidOperationException($"The worker exited with code {process.ExitCode} before answering. Its output:\n{string.Join('\n', output.TakeLast(40))}");
    }

    private static void Ensure(StatusResult? result, string what)
    {
        if (result is null || result.Status != StatusResult.Types.Status.Success)
        {
            throw new InvalidOperationException($"{what} failed: {result?.Result} {result?.Exception?.Message}");
        }
    }

    private static void Kill(Process process)
    {
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }
}
