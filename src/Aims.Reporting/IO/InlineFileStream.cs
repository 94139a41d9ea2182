namespace Aims.Reporting.IO;

/// <summary>
/// A local file whose asynchronous reads and writes are done inline. On Linux and macOS a <see cref="FileStream"/> has no
/// asynchronous I/O: each async call is a synchronous call queued to the thread pool. A bundle is tens of thousands of
/// small writes and reads through the zip, so that queueing, not the disk, was most of a 100,000-item build (and far more
/// on a loaded machine, where each hop waits for a core). Reads and writes of local files are short; doing them on the
/// calling thread costs less than the hop. Everything else passes through to the file, seeking included.
/// </summary>
internal sealed class InlineFileStream(FileStream file) : Stream
{
    /// <summary>Opens a local file for synchronous access with a buffer large enough to make each write a big one.</summary>
    public static InlineFileStream Open(string path, FileMode mode, FileAccess access, FileShare share, int bufferSize = 1024 * 1024, FileOptions options = FileOptions.None) =>
        new(new FileStream(path, mode, access, share, bufferSize, options));

    public override bool CanRead => file.CanRead;

    public override bool CanSeek => file.CanSeek;

    public override bool CanWrite => file.CanWrite;

    public override long Length => file.Length;

    public override long Position
    {
        get => file.Position;
        set => file.Position = value;
    }

    public override int Read(byte[] buffer, int offset, int count) => file.Read(buffer, offset, count);

    public override int Read(Span<byte> buffer) => file.Read(buffer);

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(file.Read(buffer.Span));
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => file.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => file.Write(buffer);

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        file.Write(buffer.Span);
        return ValueTask.CompletedTask;
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush() => file.Flush();

    public override Task FlushAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        file.Flush();
        return Task.CompletedTask;
    }

    public override long Seek(long offset, SeekOrigin origin) => file.Seek(offset, origin);

    public override void SetLength(long value) => file.SetLength(value);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }

        base.Dispose(disposing);
    }

    public override ValueTask DisposeAsync()
    {
        file.Dispose();
        GC.SuppressFinalize(this);
        return ValueTask.CompletedTask;
    }
}
