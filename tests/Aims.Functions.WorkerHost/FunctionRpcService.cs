using Aims.Functions.WorkerHost.Rpc;
using Grpc.Core;

namespace Aims.Functions.WorkerHost;

/// <summary>The gRPC service the worker connects to: it hands the stream to the waiting host and keeps it open until the worker closes it.</summary>
internal sealed class FunctionRpcService(WorkerRendezvous rendezvous) : FunctionRpc.FunctionRpcBase
{
    public override async Task EventStream(IAsyncStreamReader<StreamingMessage> requestStream, IServerStreamWriter<StreamingMessage> responseStream, ServerCallContext context)
    {
        // The worker's first message names it.
        if (!await requestStream.MoveNext(context.CancellationToken).ConfigureAwait(false) || requestStream.Current.StartStream is null)
        {
            return;
        }

        var connection = new WorkerConnection(responseStream);
        rendezvous.Connected(requestStream.Current.StartStream.WorkerId, connection);
        await connection.ReadAsync(requestStream, context.CancellationToken).ConfigureAwait(false);
    }
}

/// <summary>Where a started worker's connection is handed to the host that started it.</summary>
internal sealed class WorkerRendezvous
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, TaskCompletionSource<WorkerConnection>> _workers = new(StringComparer.Ordinal);

    public Task<WorkerConnection> WaitAsync(string workerId) => Slot(workerId).Task;

    public void Connected(string workerId, WorkerConnection connection) => Slot(workerId).TrySetResult(connection);

    private TaskCompletionSource<WorkerConnection> Slot(string workerId) =>
        _workers.GetOrAdd(workerId, _ => new TaskCompletionSource<WorkerConnection>(TaskCreationOptions.RunContinuationsAsynchronously));
}
