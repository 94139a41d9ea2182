namespace Aims.Reporting.IO;

/// <summary>Reads a small stored object (item, checkpoint) whole, refusing one larger than such an object ever is.</summary>
internal static class BoundedRead
{
    /// <summary>The content, or null when it exceeds <paramref name="maxBytes"/> (nothing more is read).</summary>
    public static async Task<byte[]?> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
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
