using Aims.Storage.Azure;
using Azure.Storage.Queues;

namespace Aims.Functions.Tests.EndToEnd;

/// <summary>
/// A real Storage queue in Azurite, used the way the Functions host uses it: messages are base64 text (the host's
/// default messageEncoding), received with a visibility timeout, deleted on success, made visible again on failure.
/// </summary>
public sealed class AzuriteQueue(string name, QueueClient client) : ITestQueue
{
    private static readonly TimeSpan VisibilityTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The name the functions know (the Azurite queue carries a per-test prefix).</summary>
    public string Name => name;

    public static async Task<AzuriteQueue> CreateAsync(string connectionString, string prefix, string name)
    {
        var client = new QueueClient(connectionString, $"{prefix}-{name}", StorageClientDefaults.QueueOptions());
        await client.CreateIfNotExistsAsync();
        return new AzuriteQueue(name, client);
    }

    public async Task SendAsync(string text) => await client.SendMessageAsync(text);

    public async Task<ReceivedMessage?> ReceiveAsync()
    {
        var messages = (await client.ReceiveMessagesAsync(1, VisibilityTimeout)).Value;
        if (messages.Length == 0)
        {
            return null;
        }

        var m = messages[0];
        return new ReceivedMessage(m.MessageId, m.PopReceipt, (int)m.DequeueCount, m.Body.ToString(), m.InsertedOn ?? DateTimeOffset.MinValue);
    }

    public async Task DeleteAsync(ReceivedMessage message) => await client.DeleteMessageAsync(message.Id, message.PopReceipt);

    public async Task ReleaseAsync(ReceivedMessage message) => await client.UpdateMessageAsync(message.Id, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);

    public async Task<int> CountAsync() => (await client.GetPropertiesAsync()).Value.ApproximateMessagesCount;
}
