using System.Collections.Concurrent;

namespace Aims.Collectors.Http;

/// <summary>A response cache for one process (tests, a single CLI run).</summary>
public sealed class InMemoryResponseCache : IResponseCache
{
    private readonly ConcurrentDictionary<(string Source, string Url), CachedResponse> _entries = new();

    public int Count => _entries.Count;

    public Task<CachedResponse?> GetAsync(string source, Uri url, CancellationToken cancellationToken = default) =>
        Task.FromResult(_entries.GetValueOrDefault((source, url.AbsoluteUri)));

    public Task PutAsync(string source, Uri url, CachedResponse response, CancellationToken cancellationToken = default)
    {
        _entries[(source, url.AbsoluteUri)] = response with { Body = response.Body.ToArray() };
        return Task.CompletedTask;
    }
}
