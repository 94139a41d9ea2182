using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Http;

/// <summary>What the offset pager needs to know about one page.</summary>
/// <param name="Count">Records on the page.</param>
/// <param name="FirstId">The id of the page's first record; a page starting with an id already seen means the server ignored the offset.</param>
/// <param name="IsLast">The server's own "last page" flag, when it sends one (Jira's <c>isLast</c>).</param>
/// <param name="Total">The server's total, when it sends one; paging stops once that many records were read.</param>
public readonly record struct OffsetPageInfo(int Count, string? FirstId, bool? IsLast = null, long? Total = null);

/// <summary>
/// Paging by offset and limit (ServiceNow's <c>sysparm_offset</c>/<c>sysparm_limit</c>, Jira's <c>startAt</c>/<c>maxResults</c>).
/// </summary>
public static class OffsetPaging
{
    /// <summary>
    /// Streams the pages of an offset-paged listing. <paramref name="targetFor"/> builds the target for an offset.
    /// Paging ends on an empty page, on the server's last-page flag or total, or on a page shorter than
    /// <paramref name="pageSize"/> unless the server says there is more (a <c>Link: rel="next"</c>, <c>isLast: false</c>
    /// or a total not yet reached: servers may cap the limit below what was asked); a next link, when present, is
    /// followed instead of computing the offset. A page that
    /// starts with a record already read (a server ignoring the offset) or a link back to a page already read stops
    /// paging, is logged, and is recorded in <paramref name="progress"/> as incomplete; the repeated page is not yielded.
    /// </summary>
    public static async IAsyncEnumerable<TPage> GetOffsetPagesAsync<TPage>(
        this JsonRestClient client,
        Func<long, string> targetFor,
        int pageSize,
        Func<RestResponse, TPage> read,
        Func<TPage, OffsetPageInfo> describe,
        PagingProgress? progress = null,
        ILogger? logger = null,
        bool conditional = false,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var log = logger ?? NullLogger.Instance;
        var firstIds = new HashSet<string>(StringComparer.Ordinal);
        var visited = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        var pages = 0;
        var target = targetFor(0);
        while (true)
        {
            var response = await client.SendAsync(RestRequest.Get(target, conditional), cancellationToken).ConfigureAwait(false);
            visited.Add(response.Url.AbsoluteUri);
            var page = read(response);
            var info = describe(page);
            if (info.Count > 0 && info.FirstId is { } first && !firstIds.Add(first))
            {
                PagingLog.RepeatedPage(log, response.Url.AbsolutePath, first, pages);
                progress?.Stopped($"{response.Method} {response.Url.AbsolutePath} returned the page starting with record {first} again at offset {offset} (the server seems to ignore the offset); paging stopped after {pages} page(s).");
                yield break;
            }

            pages++;
            progress?.PageRead();
            yield return page;

            offset += info.Count;
            if (info.Count == 0 || info.IsLast == true || (info.Total is { } total && offset >= total))
            {
                yield break;
            }

            var next = LinkHeader.FindNext(response.Link, response.Url);
            if (next is null)
            {
                // A short page ends the listing unless the server itself says there is more (isLast false, or a total not reached).
                var serverSaysMore = info.IsLast == false || info.Total is not null;
                if (info.Count < pageSize && !serverSaysMore)
                {
                    yield break;
                }

                target = targetFor(offset);
                continue;
            }

            if (visited.Contains(next.AbsoluteUri))
            {
                PagingLog.RepeatedLink(log, response.Url.AbsolutePath, pages);
                progress?.Stopped($"{response.Method} {response.Url.AbsolutePath} links back to a page already read; paging stopped after {pages} page(s).");
                yield break;
            }

            target = next.AbsoluteUri;
        }
    }
}
