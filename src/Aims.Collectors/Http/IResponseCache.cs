namespace Aims.Collectors.Http;

/// <summary>
/// Remembers, per source and URL, the last body a GET returned with its ETag, so the next request can be
/// conditional (<c>If-None-Match</c>) and an unchanged resource costs a 304. Request headers are never kept.
/// </summary>
public interface IResponseCache
{
    Task<CachedResponse?> GetAsync(string source, Uri url, CancellationToken cancellationToken = default);

    Task PutAsync(string source, Uri url, CachedResponse response, CancellationToken cancellationToken = default);
}

/// <summary>A cached response: its validator, its body and the paging header needed to go on from it.</summary>
public sealed record CachedResponse(string ETag, ReadOnlyMemory<byte> Body, string? Link);
