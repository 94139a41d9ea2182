namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>A document is larger than the configured limit; nothing of it is kept.</summary>
internal sealed class DocumentTooLargeException(string message) : IOException(message);

/// <summary>
/// Reads through to a download and fails once more than <paramref name="limit"/> bytes arrive, so a file whose listed
/// size was wrong (or changed between listing and download) still cannot fill the disk or the store.
/// </summary>
internal sealed class CappedStream(Stream inner, long limit, string what) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Count(inner.Read(buffer, offset, count));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        Count(await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private int Count(int read)
    {
        _read += read;
        return _read > limit ? throw new DocumentTooLargeException($"{what} is larger than the {limit / (1024 * 1024)} MB limit") : read;
    }
}
