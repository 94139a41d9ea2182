using System.Collections.Concurrent;
using Aims.Functions.WorkerHost.Rpc;
using Grpc.Core;

namespace Aims.Functions.WorkerHost;

/// <summary>
/// The worker's side of the event stream as the test host sees it: messages the worker sends are matched to what the
/// host is waiting for (by request id, function id or invocation id); logs are kept; writes are serialized (a gRPC
/// stream writer takes one message at a time).
/// </summary>
internal sealed class WorkerConnection(IServerStreamWriter<StreamingMessage> writer)
{
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<StreamingMessage>> _waiting = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RpcLog> _logs = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyCollection<RpcLog> Logs => _logs;

    public Task Closed => _closed.Task;

    public Task<StreamingMessage> Expect(string key)
    {
        var waiter = _waiting.GetOrAdd(key, _ => new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously));
        return waiter.Task;
    }

    public async Task SendAsync(StreamingMessage message, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await writer.WriteAsync(message, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Reads until the worker closes its side; each message completes whatever waits for it.</summary>
    public async Task ReadAsync(IAsyncStreamReader<StreamingMessage> reader, CancellationToken cancellationToken)
    {
        try
        {
            while (await reader.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                var message = reader.Current;
                switch (message.ContentCase)
                {
                    case StreamingMessage.ContentOneofCase.RpcLog:
                        _logs.Enqueue(message.RpcLog);
                        break;
                    case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                        Complete("init", message);
                        break;
                    case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                        Complete("metadata", message);
                        break;
                    case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                        Complete("load:" + message.FunctionLoadResponse.FunctionId, message);
                        break;
                    case StreamingMessage.ContentOneofCase.InvocationResponse:
                        Complete("invocation:" + message.InvocationResponse.InvocationId, message);
                        break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The test host is shutting down.
        }
        catch (IOException)
        {
            // The worker went away.
        }
        finally
        {
            _closed.TrySetResult();
        }
    }

    private void Complete(string key, StreamingMessage message) =>
        _waiting.GetOrAdd(key, _ => new TaskCompletionSource<StreamingMessage>(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult(message);
}
