using System.Runtime.CompilerServices;
using Azure;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>Guards the SDK's own pageables the way <see cref="ArmRestClient.ListAsync"/> guards ours.</summary>
internal static class ArmPages
{
    /// <summary>Stops with an error when the service hands out a continuation (nextLink) it already gave.</summary>
    public static async IAsyncEnumerable<Page<T>> StopOnRepeatedNextLink<T>(
        this IAsyncEnumerable<Page<T>> pages,
        ArmOperation operation,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
        where T : notnull
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var items = 0;
        await foreach (var page in pages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            items += page.Values.Count;
            yield return page;
            if (page.ContinuationToken is { } next && !seen.Add(next))
            {
                throw new ArmCallException(operation, null, $"{operation} returned the same nextLink twice; paging stopped after {items} items.");
            }
        }
    }
}
