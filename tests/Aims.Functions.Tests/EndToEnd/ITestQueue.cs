namespace Aims.Functions.Tests.EndToEnd;

/// <summary>A received queue message: what the host reads before invoking a queue-triggered function.</summary>
public sealed record ReceivedMessage(string Id, string PopReceipt, int DequeueCount, string Text, DateTimeOffset InsertionTime);

/// <summary>The Storage-queue operations the Functions host uses for a queue trigger and a queue output binding.</summary>
public interface ITestQueue
{
    string Name { get; }

    Task SendAsync(string text);

    /// <summary>Gets the next visible message (incrementing its dequeue count and hiding it), or null.</summary>
    Task<ReceivedMessage?> ReceiveAsync();

    Task DeleteAsync(ReceivedMessage message);

    /// <summary>Makes a message visible again at once (the host's visibility timeout on failure, shortened for tests).</summary>
    Task ReleaseAsync(ReceivedMessage message);

    Task<int> CountAsync();
}
