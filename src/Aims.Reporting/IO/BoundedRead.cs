namespace Aims.Reporting.IO;

/// <summary>Reads a small stored object (item, checkpoint) whole, refusing one larger than such an object ever is.</summary>
internal static class BoundedRead
{
    /// <summary>The content, or null when it exceeds <paramref name="maxBytes"/> (nothing more is read).</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        if (stream is FileStream file && file.Length <= maxBytes)
        {
            // A local file of known size is read into an array of that size, in one call.
            var content = new byte[file.Length];
            var filled = await LocalReads.ReadAtLeastAsync(stream, content, cancellationToken).ConfigureAwait(false);
            if (filled < content.Length)
            {
                return content[..filled]; // it shrank while read: what is there is what a read to the end gives
            }

            var more = new byte[1];
            if (await LocalReads.ReadAsync(stream, more, cancellationToken).ConfigureAwait(false) == 0)
            {
                return content;
            }

            return await ReadGrowingAsync(stream, (byte[])[.. content, .. more], maxBytes, cancellationToken).ConfigureAwait(false);
        }

        return await ReadGrowingAsync(stream, ReadOnlyMemory<byte>.Empty, maxBytes, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads on from <paramref name="start"/> (a file that changed size while read) or from the beginning.</summary>
    private static async Task<byte[]?> ReadGrowingAsync(Stream stream, ReadOnlyMemory<byte> start, int maxBytes, CancellationToken cancellationToken)
    {
        if (start.Length > maxBytes)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        buffer.Write(start.Span);
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await LocalReads.ReadAsync(stream, chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
