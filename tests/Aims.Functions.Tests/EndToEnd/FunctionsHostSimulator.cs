using System.Text.Json.Nodes;
using Aims.Functions.Tests.Infrastructure;

namespace Aims.Functions.Tests.EndToEnd;

/// <summary>
/// Plays the Functions host's part without <c>func</c>: fires timers, turns the <c>jobs</c> output into messages on
/// <c>collect-jobs</c>, and runs the queue trigger with the host's semantics: receive (dequeue count + 1), invoke,
/// delete on 2xx, make visible again on failure, and after <see cref="MaxDequeueCount"/> failed deliveries move the
/// message to <c>{queue}-poison</c>.
/// </summary>
public sealed class FunctionsHostSimulator(HandlerHost handler, Func<string, ITestQueue> queues, TimeProvider clock)
{
    public const int MaxDequeueCount = 5;

    /// <summary>Every invocation made, in order: function, dequeue count, status.</summary>
    public List<(string Function, int DequeueCount, int Status)> Invocations { get; } = [];

    public async Task<HostAnswer> FireTimerAsync(string function, string outputQueue = "collect-jobs")
    {
        var answer = await handler.InvokeAsync(function, HostPayloads.Timer(function, clock.GetUtcNow()));
        Invocations.Add((function, 0, answer.Status));
        if (answer.Status is >= 200 and < 300 && answer.Outputs["jobs"] is JsonArray jobs)
        {
            var queue = queues(outputQueue);
            foreach (var job in jobs)
            {
                // The host writes each output object as its JSON text.
                await queue.SendAsync(job!.ToJsonString());
            }
        }

        return answer;
    }

    /// <summary>Delivers messages from <paramref name="queueName"/> to <paramref name="function"/> until the queue is empty.</summary>
    public async Task DrainAsync(string queueName, string function, int maxDeliveries = 200)
    {
        var queue = queues(queueName);
        for (var deliveries = 0; deliveries < maxDeliveries; deliveries++)
        {
            var message = await queue.ReceiveAsync();
            if (message is null)
            {
                return;
            }

            await DeliverAsync(queue, message, function);
        }

        throw new InvalidOperationException($"{queueName} still had messages after {maxDeliveries} deliveries.");
    }

    /// <summary>One delivery: invoke, then delete, release or poison as the host does.</summary>
    public async Task<HostAnswer> DeliverAsync(ITestQueue queue, ReceivedMessage message, string function)
    {
        var answer = await handler.InvokeAsync(function, HostPayloads.QueueMessage(function, message.Text, message.DequeueCount, message.Id, clock.GetUtcNow()));
        Invocations.Add((function, message.DequeueCount, answer.Status));
        if (answer.Status is >= 200 and < 300)
        {
            await queue.DeleteAsync(message);
        }
        else if (message.DequeueCount >= MaxDequeueCount)
        {
            await queues(queue.Name + "-poison").SendAsync(message.Text);
            await queue.DeleteAsync(message);
        }
        else
        {
            await queue.ReleaseAsync(message);
        }

        return answer;
    }
}
