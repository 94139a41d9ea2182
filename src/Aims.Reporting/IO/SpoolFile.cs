namespace Aims.Reporting.IO;

/// <summary>
/// A temporary file of length-prefixed records, deleted when disposed. A bundle keeps what it learns per file (a row of
/// index.html, an OSCAL observation, a manifest line) here instead of in memory, and reads it back when the file that
/// lists it is written: memory then holds only record offsets, not the records. Records are appended and read back in
/// any order through a window of the file, so reading them in the order they were written costs one read per window.
/// </summary>
internal sealed class SpoolFile : IDisposable
{
    private const int WindowBytes = 64 * 1024;
    private readonly FileStream _file;
    private byte[] _window = new byte[WindowBytes];
    private long _windowStart;
    private int _windowLength;
    private bool _unflushed;

    public SpoolFile()
    {
        _file = new FileStream(Path.Combine(Path.GetTempPath(), "aims-spool-" + Path.GetRandomFileName()), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, WindowBytes, FileOptions.DeleteOnClose);
    }

    /// <summary>Records appended so far.</summary>
    public int Count { get; private set; }

    /// <summary>Appends a record; returns its offset, by which it is read back.</summary>
    public long Append(ReadOnlySpan<byte> record)
    {
        var offset = _file.Position;
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, record.Length);
        _file.Write(length);
        _file.Write(record);
        _unflushed = true;
        Count++;
        return offset;
    }

    /// <summary>The record at <paramref name="offset"/>; valid until the next read.</summary>
    public ReadOnlySpan<byte> Read(long offset)
    {
        if (_unflushed)
        {
            _file.Flush();
            _unflushed = false;
        }

        var length = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(Window(offset, 4));
        return Window(offset + 4, length);
    }

    /// <summary>Every record in the order written, each with its offset.</summary>
    public IEnumerable<long> Offsets()
    {
        var end = _file.Position;
        for (var offset = 0L; offset < end;)
        {
            yield return offset;
            offset += 4 + Read(offset).Length;
        }
    }

    public void Dispose() => _file.Dispose();

    private ReadOnlySpan<byte> Window(long offset, int length)
    {
        if (offset < _windowStart || offset + length > _windowStart + _windowLength)
        {
            if (length > _window.Length)
            {
                _window = new byte[Math.Max(length, _window.Length * 2)];
            }

            _windowStart = offset;
            _windowLength = RandomAccess.Read(_file.SafeFileHandle, _window, offset);
            if (_windowLength < length)
            {
                throw new InvalidDataException("The bundle's spool file ended early: the temporary folder changed while the bundle was written.");
            }
        }

        return _window.AsSpan((int)(offset - _windowStart), length);
    }
}
