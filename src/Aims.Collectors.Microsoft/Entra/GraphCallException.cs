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
