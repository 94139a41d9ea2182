using System.Security.Cryptography;

namespace Aims.Storage.Azure;

/// <summary>
/// Reads a payload a second time for upload and checks, when it reaches the end, that the bytes hash to what the
/// first pass computed. The upload reads to the end before it commits, so a source that changed between the two
/// passes fails the upload instead of storing wrong bytes under a content address.
/// </summary>
internal sealed class HashCheckingReadStream(Stream inner, string expectedSha256, string path) : Stream
{
    private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private bool _checked;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Observe(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = inner.Read(buffer, offset, count);
        Observe(buffer.AsSpan(offset, read));
        return read;
    }

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
            _hash.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Observe(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > 0)
        {
            _hash.AppendData(bytes);
            return;
        }

        if (_checked)
        {
            return;
        }

        _checked = true;
        var actual = Convert.ToHexStringLower(_hash.GetHashAndReset());
        if (actual != expectedSha256)
        {
            throw new IOException($"The raw payload changed while it was being stored as {path}: it hashed to {expectedSha256} when first read and to {actual} on upload. Nothing was committed.");
        }
    }
}
