namespace Aims.Storage.Azure.Blobs;

/// <summary>A blob being downloaded as a stream. Dispose it to release the connection.</summary>
public sealed class BlobDownloadStreamingResult(Stream content, BlobProperties details) : IDisposable, IAsyncDisposable
{
    public Stream Content { get; } = content;

    public BlobProperties Details { get; } = details;

    public void Dispose() => Content.Dispose();

    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
