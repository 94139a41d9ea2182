namespace Aims.Reporting.IO;

/// <summary>
/// Reads that are done inline when the stream is a local file (a folder store's item or payload): there an asynchronous
/// read is a synchronous one queued to the thread pool (see <see cref="InlineFileStream"/>), which for a 1 KB item costs
/// more than the read. Any other stream (a blob download) is read asynchronously as before.
/// </summary>
internal static class LocalReads
{
    public static ValueTask<int> ReadAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (stream is FileStream file)
        {
            // Straight from the handle: a FileStream's own buffer (80 KB in a store) would be allocated and zeroed per 1 KB item.
            cancellationToken.ThrowIfCancellationRequested();
            var read = RandomAccess.Read(file.SafeFileHandle, buffer.Span, file.Position);
            file.Seek(read, SeekOrigin.Current);
            return ValueTask.FromResult(read);
        }

        return stream.ReadAsync(buffer, cancellationToken);
    }

    /// <summary>Fills <paramref name="buffer"/> unless the stream ends first; returns the bytes read.</summary>
    public static async ValueTask<int> ReadAtLeastAsync(Stream stream, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await ReadAsync(stream, buffer[total..], cancellationToken).ConfigureAwait(false)) > 0)
        {
            total += read;
        }

        return total;
    }

    /// <summary>Copies the rest of <paramref name="source"/> to <paramref name="target"/> through <paramref name="buffer"/>.</summary>
    public static async Task CopyToAsync(Stream source, Stream target, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int read;
        while ((read = await ReadAsync(source, buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            await target.WriteAsync(buffer[..read], cancellationToken).ConfigureAwait(false);
        }
    }
}
