namespace Aims.Collectors.Documents;

/// <summary>
/// Where a documents source reads its files: a local folder or a blob container. Paths are relative, '/'-separated
/// and never leave the place; the rules about which files are documents and how they are described
/// (<see cref="DocumentSelection"/>, front matter, sidecars) are the same for every place.
/// </summary>
public interface IDocumentFiles
{
    /// <summary>The place for messages: a folder path or a container URL (never a key or a SAS).</summary>
    string Description { get; }

    /// <summary>Every file's relative path, hidden files left out. Throws <see cref="DocumentFilesException"/> when the place cannot be listed.</summary>
    IAsyncEnumerable<string> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Opens one file for reading, or null when it does not exist. Throws <see cref="ArgumentException"/> for a path
    /// that is not a relative path inside the place, <see cref="IOException"/> when it cannot be read.
    /// </summary>
    Task<DocumentFile?> OpenAsync(string relativePath, CancellationToken cancellationToken = default);
}

/// <summary>An open document file and its length in bytes; disposing it closes the content.</summary>
public sealed record DocumentFile(Stream Content, long Length) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}

/// <summary>The place a documents source reads from cannot be listed (missing folder or container, refused access).</summary>
public sealed class DocumentFilesException(string message, Exception? inner = null) : Exception(message, inner);
