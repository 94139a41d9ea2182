using System.Globalization;

namespace Aims.Functions.Tests.EndToEnd;

/// <summary>A queue in memory with Storage-queue delivery semantics (dequeue count, pop receipts, visibility).</summary>
public sealed class InMemoryQueue(string name, TimeProvider clock) : ITestQueue
{
    private readonly List<Entry> _entries = [];
    private int _nextId;

    public string Name => name;

    public Task SendAsync(string text)
    {
        lock (_entries)
        {
            _entries.Add(new Entry($"{name}-{++_nextId:D4}", text, clock.GetUtcNow()));
        }

        return Task.CompletedTask;
    }

    public Task<ReceivedMessage?> ReceiveAsync()
    {
        lock (_entries)
        {
            var entry = _entries.FirstOrDefault(e => !e.Invisible);
            if (entry is null)
            {
                return Task.FromResult<ReceivedMessage?>(null);
            }

            entry.DequeueCount++;
            entry.Invisible = true;
            entry.PopReceipt = entry.DequeueCount.ToString(CultureInfo.InvariantCulture);
            return Task.FromResult<ReceivedMessage?>(new ReceivedMessage(entry.Id, entry.PopReceipt, entry.DequeueCount, entry.Text, entry.Inserted));
        }
    }

    public Task DeleteAsync(ReceivedMessage message)
    {
        lock (_entries)
        {
            _entries.RemoveAll(e => e.Id == message.Id && e.PopReceipt == message.PopReceipt);
        }

        return Task.CompletedTask;
    }

    public Task ReleaseAsync(ReceivedMessage message)
    {
        lock (_entries)
        {
            foreach (var e in _entries.Where(e => e.Id == message.Id && e.PopReceipt == message.PopReceipt))
            {
                e.Invisible = false;
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> CountAsync()
    {
        lock (_entries)
        {
            return Task.FromResult(_entries.Count);
        }
    }

    private sealed class Entry(string id, string text, DateTimeOffset inserted)
    {
        public string Id { get; } = id;

        public string Text { get; } = text;

        public DateTimeOffset Inserted { get; } = inserted;

        public int DequeueCount { get; set; }

        public bool Invisible { get; set; }

        public string PopReceipt { get; set; } = "";
    }
}
