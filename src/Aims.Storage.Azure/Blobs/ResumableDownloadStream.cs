namespace Aims.Storage.Azure.Blobs;

/// <summary>
/// A download that survives a dropped connection: when a read fails part-way, it asks again for the rest
/// (<c>Range: bytes={position}-</c>, <c>If-Match</c> the first response's ETag, so a blob changed meanwhile fails
/// instead of mixing two versions) and carries on. Memory stays at the caller's read buffer.
/// </summary>
internal sealed class ResumableDownloadStream(Stream first, long length, Func<long, CancellationToken, Task<Stream>> reopen, int maxResumes) : Stream
{
    private Stream _current = first;
    private long _position;
    private int _resumes;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => throw new NotSupportedException("A blob download is read forward only.");
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (true)
        {
            try
            {
                var read = await _current.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (read == 0 && _position < length)
                {
                    throw new IOException($"The download ended at byte {_position} of {length}.");
                }

                _position += read;
                return read;
            }
            catch (Exception ex) when (IsResumable(ex, cancellationToken))
            {
                await _current.DisposeAsync().ConfigureAwait(false);
                _current = await reopen(_position, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A blob download is read forward only.");

    public override void SetLength(long value) => throw new NotSupportedException("A blob download is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A blob download is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _current.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await _current.DisposeAsync().ConfigureAwait(false);
        await base.DisposeAsync().ConfigureAwait(false);
    }

    private bool IsResumable(Exception ex, CancellationToken cancellationToken) =>
        ex is IOException or OperationCanceledException
        && !cancellationToken.IsCancellationRequested
        && _position < length
        && _resumes++ < maxResumes;
}
