using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>A Service Bus sender through the SDK's mocking seam (its protected constructor): keeps what would be sent.</summary>
public sealed class RecordingSender : ServiceBusSender
{
    public ConcurrentQueue<ServiceBusMessage> Sent { get; } = new();

    public int Calls { get; private set; }

    public override string EntityPath => "aims-events";

    public override Task SendMessagesAsync(IEnumerable<ServiceBusMessage> messages, CancellationToken cancellationToken = default)
    {
        Calls++;
        foreach (var message in messages)
        {
            Sent.Enqueue(message);
        }

        return Task.CompletedTask;
    }
}
