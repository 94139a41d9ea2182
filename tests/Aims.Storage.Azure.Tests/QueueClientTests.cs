using Aims.Storage.Azure.Queues;
using Aims.Testing.Azurite;
using Azure;

namespace Aims.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class QueueClientTests(AzuriteFixture azurite)
{
    private async Task<QueueClient> NewQueueAsync()
    {
        var queue = new QueueClient(azurite.ConnectionString, AzuriteFixture.UniqueName("jobs"));
        Assert.True(await queue.CreateIfNotExistsAsync());
        return queue;
    }

    [Fact]
    public async Task Create_if_not_exists_reports_whether_it_created()
    {
        var queue = new QueueClient(azurite.ConnectionString, AzuriteFixture.UniqueName("jobs"));

        Assert.True(await queue.CreateIfNotExistsAsync());
        Assert.False(await queue.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task Sent_messages_come_back_in_a_batch_decoded_and_hidden_from_the_next_receive()
    {
        // Given three queued collection jobs
        var queue = await NewQueueAsync();
        for (var i = 0; i < 3; i++)
        {
            await queue.SendMessageAsync($$"""{"jobId":"job-{{i}}"}""");
        }

        // When a batch of up to 32 is received with a visibility timeout
        var batch = (await queue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
        var again = (await queue.ReceiveMessagesAsync(32)).Value;

        // Then all three arrive decoded, dequeued once, and they are invisible to the next receive
        Assert.Equal(new[] { "job-0", "job-1", "job-2" }, batch.Select(m => System.Text.Json.JsonDocument.Parse(m.Body.ToString()).RootElement.GetProperty("jobId").GetString()).Order());
        Assert.All(batch, m => Assert.Equal(1, m.DequeueCount));
        Assert.Empty(again);
    }

    [Fact]
    public async Task Text_is_base64_on_the_wire_so_any_bytes_survive()
    {
        var queue = await NewQueueAsync();
        var bytes = new byte[] { 0, 1, 2, 0xff, (byte)'<', (byte)'&' };

        await queue.SendMessageAsync(BinaryData.FromBytes(bytes));
        var received = (await queue.ReceiveMessagesAsync()).Value.Single();

        Assert.Equal(bytes, received.Body.ToArray());
    }

    [Fact]
    public async Task Updating_visibility_to_zero_makes_a_message_receivable_again_with_a_new_pop_receipt()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("retry me");
        var first = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value.Single();

        var update = await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, TimeSpan.Zero);
        var second = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value.Single();

        Assert.NotEqual(first.PopReceipt, update.Value.PopReceipt);
        Assert.Equal(first.MessageId, second.MessageId);
        Assert.Equal(2, second.DequeueCount);
        Assert.Equal("retry me", second.Body.ToString());
    }

    [Fact]
    public async Task Updating_a_message_can_replace_its_body()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("attempt 1");
        var first = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value.Single();

        await queue.UpdateMessageAsync(first.MessageId, first.PopReceipt, TimeSpan.Zero, BinaryData.FromString("attempt 2"));
        var second = (await queue.ReceiveMessagesAsync()).Value.Single();

        Assert.Equal("attempt 2", second.Body.ToString());
    }

    [Fact]
    public async Task Delete_needs_the_current_pop_receipt()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("done");
        var received = (await queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value.Single();
        var update = await queue.UpdateMessageAsync(received.MessageId, received.PopReceipt, TimeSpan.FromMinutes(5));

        var stale = await Assert.ThrowsAsync<RequestFailedException>(() => queue.DeleteMessageAsync(received.MessageId, received.PopReceipt));
        await queue.DeleteMessageAsync(received.MessageId, update.Value.PopReceipt);

        Assert.Contains(stale.Status, new[] { 400, 404 });
        Assert.NotNull(stale.ErrorCode);
        Assert.Equal(0, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task Properties_count_the_waiting_messages()
    {
        var queue = await NewQueueAsync();
        await queue.SendMessageAsync("a");
        await queue.SendMessageAsync("b");

        Assert.Equal(2, (await queue.GetPropertiesAsync()).Value.ApproximateMessagesCount);
    }

    [Fact]
    public async Task A_batch_outside_1_to_32_is_refused_before_sending()
    {
        var queue = new QueueClient(azurite.ConnectionString, AzuriteFixture.UniqueName("jobs"));

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(33));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => queue.ReceiveMessagesAsync(0));
    }

    [Fact]
    public async Task A_message_too_large_for_the_queue_is_refused_before_sending()
    {
        var queue = new QueueClient(azurite.ConnectionString, AzuriteFixture.UniqueName("jobs"));

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => queue.SendMessageAsync(BinaryData.FromBytes(new byte[49 * 1024])));

        Assert.Contains("64 KiB", ex.Message);
    }
}
