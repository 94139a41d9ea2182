using System.Collections.Concurrent;

namespace Aims.Bench.Collectors;

/// <summary>Requests a fake served, by endpoint and by whether they count against the provider's rate limit.</summary>
internal sealed class RequestTally
{
    private readonly ConcurrentDictionary<string, Counts> _byEndpoint = new(StringComparer.Ordinal);
    private long _serverTicks;

    public void Add(string endpoint, int status)
    {
        var counts = _byEndpoint.GetOrAdd(endpoint, _ => new Counts());
        Interlocked.Increment(ref counts.Total);
        if (status == 304)
        {
            Interlocked.Increment(ref counts.NotModified);
        }
    }

    public long Total => _byEndpoint.Values.Sum(c => Volatile.Read(ref c.Total));

    /// <summary>GitHub does not count a 304 to a conditional request against the primary rate limit.</summary>
    public long NotModified => _byEndpoint.Values.Sum(c => Volatile.Read(ref c.NotModified));

    public long Counted => Total - NotModified;

    public IReadOnlyList<(string Endpoint, long Total, long NotModified)> Endpoints =>
        _byEndpoint.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => (e.Key, Volatile.Read(ref e.Value.Total), Volatile.Read(ref e.Value.NotModified))).ToList();

    /// <summary>Time spent inside the fake's handler, summed over requests (the fake shares the process and its CPUs).</summary>
    public TimeSpan ServerTime => TimeSpan.FromTicks(Interlocked.Read(ref _serverTicks));

    public void AddServerTime(TimeSpan elapsed) => Interlocked.Add(ref _serverTicks, elapsed.Ticks);

    public void Reset()
    {
        _byEndpoint.Clear();
        Interlocked.Exchange(ref _serverTicks, 0);
    }

    private sealed class Counts
    {
        public long Total;
        public long NotModified;
    }
}
