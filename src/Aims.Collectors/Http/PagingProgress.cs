namespace Aims.Collectors.Http;

/// <summary>
/// How a paged listing went: the pages read, and whether it reached its natural end or was stopped because the
/// server repeated itself (a token or a page seen before). A stopped listing is incomplete, and evidence built from it
/// must say so instead of passing for the whole population.
/// </summary>
public sealed class PagingProgress
{
    private int _pages;

    public int Pages => Volatile.Read(ref _pages);

    public bool Complete => StopReason is null;

    /// <summary>Why paging stopped before the end, or null when it reached the last page.</summary>
    public string? StopReason { get; private set; }

    internal void PageRead() => Interlocked.Increment(ref _pages);

    internal void Stopped(string reason) => StopReason ??= reason;
}
