using Azure;

namespace Aims.Storage.Azure.Blobs;

/// <summary>
/// A listing that fetches one page at a time and follows <c>NextMarker</c>. A page may be empty and still carry a
/// marker (the service stopped early); the listing goes on until no marker is left. A marker that repeats would
/// loop forever, so it is an error.
/// </summary>
internal sealed class BlobListing(BlobContainerClient client, string? prefix, bool includeMetadata, CancellationToken cancellationToken)
    : AsyncPageable<BlobItem>(cancellationToken)
{
    public override async IAsyncEnumerable<Page<BlobItem>> AsPages(string? continuationToken = null, int? pageSizeHint = null)
    {
        var marker = continuationToken;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        do
        {
            var (items, next, response) = await client.ListPageAsync(prefix, includeMetadata, marker, pageSizeHint, CancellationToken).ConfigureAwait(false);
            if (next is not null && !seen.Add(next))
            {
                throw new InvalidOperationException($"Listing {client.Uri.AbsolutePath} returned the marker '{next}' twice; stopping instead of looping.");
            }

            yield return Page<BlobItem>.FromValues(items, next, response);
            marker = next;
        }
        while (!string.IsNullOrEmpty(marker));
    }

    public override async IAsyncEnumerator<BlobItem> GetAsyncEnumerator(CancellationToken cancellationToken = default)
    {
        await foreach (var page in AsPages().WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var item in page.Values)
            {
                yield return item;
            }
        }
    }
}
