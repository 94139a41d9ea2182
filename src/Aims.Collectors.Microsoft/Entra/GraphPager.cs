using Microsoft.Graph;
using Microsoft.Kiota.Abstractions.Serialization;
using GraphServiceException = Microsoft.Graph.ServiceException;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>What paging through a Graph collection found.</summary>
/// <param name="Items">Items handed to the callback.</param>
/// <param name="DeltaLink">The <c>@odata.deltaLink</c> of a delta query, kept so a later run can ask only for changes.</param>
internal sealed record GraphPaging(int Items, string? DeltaLink);

/// <summary>
/// Pages through a Graph collection with the SDK's <see cref="PageIterator{TEntity, TCollectionPage}"/>: it follows
/// <c>@odata.nextLink</c>, stops on a repeated nextLink (surfaced as <see cref="GraphPagingLoopException"/>) and
/// keeps the <c>@odata.deltaLink</c>. Items go to the callback one at a time, so no listing is held twice. A next link
/// to any host other than the client's Graph host is not followed at all (surfaced as
/// <see cref="GraphPagingForeignHostException"/>): the same-host rule every token-carrying call in the product keeps.
/// </summary>
internal static class GraphPager
{
    public static async Task<GraphPaging> ForEachAsync<TEntity, TPage>(
        GraphServiceClient client,
        TPage? firstPage,
        Func<TEntity, Task> onItem,
        CancellationToken cancellationToken = default)
        where TPage : IParsable, IAdditionalDataHolder, new()
    {
        if (firstPage is null)
        {
            return new GraphPaging(0, null);
        }

        var count = 0;
        var graphHost = new Uri(client.RequestAdapter.BaseUrl ?? "https://graph.microsoft.com/").Host;
        PageIterator<TEntity, TPage>? iterator = null;
        iterator = PageIterator<TEntity, TPage>.CreatePageIterator(
            client,
            firstPage,
            async entity =>
            {
                await onItem(entity).ConfigureAwait(false);
                count++;
                return true;
            },
            request =>
            {
                // Runs before each next page is requested: refuse a link that leaves the Graph host.
                var link = iterator!.Nextlink;
                if (!Uri.TryCreate(link, UriKind.Absolute, out var next) || !string.Equals(next.Host, graphHost, StringComparison.OrdinalIgnoreCase))
                {
                    throw new GraphPagingForeignHostException(link, graphHost, count);
                }

                return request;
            });
        try
        {
            await iterator.IterateAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (GraphServiceException ex) when (ex.Message.Contains("nextLink loop", StringComparison.OrdinalIgnoreCase))
        {
            throw new GraphPagingLoopException(iterator.Nextlink, count);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return new GraphPaging(count, string.IsNullOrEmpty(iterator.Deltalink) ? null : iterator.Deltalink);
    }

    /// <summary>Fetches the first page and pages on, every failure named after <paramref name="operation"/>.</summary>
    public static Task<GraphPaging> ForEachAsync<TEntity, TPage>(
        GraphServiceClient client,
        GraphOperation operation,
        Func<Task<TPage?>> firstPage,
        Func<TEntity, Task> onItem,
        CancellationToken cancellationToken = default)
        where TPage : IParsable, IAdditionalDataHolder, new() =>
        GraphFailure.CallAsync(
            operation,
            async () => await ForEachAsync(client, await firstPage().ConfigureAwait(false), onItem, cancellationToken).ConfigureAwait(false),
            cancellationToken);

    /// <summary>Collects a listing that one evidence item holds anyway (members of one group, owners of one app).</summary>
    public static async Task<List<TEntity>> ListAsync<TEntity, TPage>(
        GraphServiceClient client,
        GraphOperation operation,
        Func<Task<TPage?>> firstPage,
        CancellationToken cancellationToken = default)
        where TPage : IParsable, IAdditionalDataHolder, new()
    {
        var items = new List<TEntity>();
        await ForEachAsync<TEntity, TPage>(
            client,
            operation,
            firstPage,
            item =>
            {
                items.Add(item);
                return Task.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);
        return items;
    }
}
