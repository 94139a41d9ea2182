using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Http;

/// <summary>
/// Paging by continuation token (Jira Cloud's <c>search/jql</c> <c>nextPageToken</c>, cursor APIs): each response names
/// the token of the next page, and the last page names none (or says it is the last).
/// </summary>
public static class TokenPaging
{
    /// <summary>
    /// Streams the pages of a token-paged listing. <paramref name="requestFor"/> builds the request for a token (null for
    /// the first page); <paramref name="read"/> parses a response once; <paramref name="nextToken"/> returns the next
    /// token, or null on the last page. A token seen before stops paging (logged, and recorded in
    /// <paramref name="progress"/> as incomplete) so a provider bug cannot loop forever.
    /// </summary>
    public static async IAsyncEnumerable<TPage> GetTokenPagesAsync<TPage>(
        this JsonRestClient client,
        Func<string?, RestRequest> requestFor,
        Func<RestResponse, TPage> read,
        Func<TPage, string?> nextToken,
        PagingProgress? progress = null,
        ILogger? logger = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        string? token = null;
        while (true)
        {
            var response = await client.SendAsync(requestFor(token), cancellationToken).ConfigureAwait(false);
            var page = read(response);
            progress?.PageRead();
            yield return page;

            var next = nextToken(page);
            if (string.IsNullOrEmpty(next))
            {
                yield break;
            }

            if (!used.Add(next))
            {
                var pages = progress?.Pages ?? used.Count;
                PagingLog.RepeatedToken(logger ?? NullLogger.Instance, response.Url.AbsolutePath, pages);
                progress?.Stopped($"{response.Method} {response.Url.AbsolutePath} returned a continuation token it had already returned; paging stopped after {pages} page(s).");
                yield break;
            }

            token = next;
        }
    }
}
