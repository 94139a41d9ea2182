using System.Collections.Concurrent;

namespace Aims.Collectors.Tests.Http;

/// <summary>
/// A clock whose timers fire at once and move the clock forward by their due time, so retry and rate-limit waits
/// cost nothing in tests yet stay observable: <see cref="Waits"/> lists every wait asked for, in order.
/// </summary>
public sealed class FastForwardTimeProvider(DateTimeOffset start) : TimeProvider
{
    private readonly ConcurrentQueue<TimeSpan> _waits = new();
    private long _ticks = start.UtcTicks;

    public IReadOnlyList<TimeSpan> Waits => _waits.ToArray();

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new FiringTimer(this, callback, state, dueTime);

    private sealed class FiringTimer : ITimer
    {
        private readonly FastForwardTimeProvider _clock;
        private readonly TimerCallback _callback;
        private readonly object? _state;
        private int _disposed;

        public FiringTimer(FastForwardTimeProvider clock, TimerCallback callback, object? state, TimeSpan dueTime)
        {
            _clock = clock;
            _callback = callback;
            _state = state;
            Schedule(dueTime);
        }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Schedule(dueTime);
            return true;
        }

        public void Dispose() => Interlocked.Exchange(ref _disposed, 1);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }

        private void Schedule(TimeSpan dueTime)
        {
            if (dueTime == Timeout.InfiniteTimeSpan || Volatile.Read(ref _disposed) == 1)
            {
                return;
            }

            _clock._waits.Enqueue(dueTime);
            _clock.Advance(dueTime);
            ThreadPool.QueueUserWorkItem(_ =>
            {
                if (Volatile.Read(ref _disposed) == 0)
                {
                    _callback(_state);
                }
            });
        }
    }
}
