namespace Aims.Collectors.Microsoft.Entra;

/// <summary>A Graph call failed; the message names the call, the HTTP status and, for 403, the permission to grant.</summary>
internal sealed class GraphCallException(GraphOperation operation, int? status, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public GraphOperation Operation { get; } = operation;

    /// <summary>The HTTP status, or null when no response arrived (network, token, paging loop).</summary>
    public int? Status { get; } = status;

    public bool IsNotFound => Status == 404;
}

/// <summary>Graph answered the same <c>@odata.nextLink</c> twice; following it again would never end.</summary>
internal sealed class GraphPagingLoopException(string nextLink, int itemsSeen)
    : Exception($"Graph returned the same @odata.nextLink twice; paging stopped after {itemsSeen} items.")
{
    public string NextLink { get; } = nextLink;

    public int ItemsSeen { get; } = itemsSeen;
}

/// <summary>
/// Graph answered an <c>@odata.nextLink</c> on another host (or not a URL at all). It is not followed: requests that may
/// carry the tenant's token go only to the configured Graph host.
/// </summary>
internal sealed class GraphPagingForeignHostException(string nextLink, string graphHost, int itemsSeen)
    : Exception(Uri.TryCreate(nextLink, UriKind.Absolute, out var next)
        ? $"Graph returned an @odata.nextLink on another host ({next.Host}), not {graphHost}; it was not followed and paging stopped after {itemsSeen} items."
        : $"Graph returned an @odata.nextLink that is not an absolute URL; it was not followed and paging stopped after {itemsSeen} items.")
{
    public string NextLink { get; } = nextLink;

    public int ItemsSeen { get; } = itemsSeen;
}
