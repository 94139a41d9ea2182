using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Aims.Reporting.IO;

/// <summary>
/// Reads a zip (zip64 included) from a seekable stream without holding its directory: the central directory is
/// streamed from the file each time <see cref="Entries"/> is walked, one record at a time, so memory does not grow with
/// the entry count as <see cref="ZipArchive"/>'s entry objects did. Each entry's local header is checked against its
/// central-directory record (name, method, and sizes and CRC when the header carries them), and its content's CRC-32
/// and size are checked as it is read: any damage, a truncated or garbled directory included, is an
/// <see cref="InvalidDataException"/> naming what is wrong, never a crash.
/// </summary>
internal sealed class ZipReader
{
    private const uint LocalHeaderSignature = 0x04034b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint EndSignature = 0x06054b50;
    private const int DirectoryWindowBytes = 64 * 1024;

    private readonly Source _stream;
    private readonly long _length;

    private ZipReader(Source stream, long length, long entryCount, long directoryStart, long directorySize)
    {
        _stream = stream;
        _length = length;
        EntryCount = entryCount;
        DirectoryStart = directoryStart;
        DirectorySize = directorySize;
    }

    /// <summary>Entries the end record announces.</summary>
    public long EntryCount { get; }

    private long DirectoryStart { get; }

    private long DirectorySize { get; }

    /// <summary>Finds the end of the central directory; throws <see cref="InvalidDataException"/> when it is not a readable zip.</summary>
    public static ZipReader Open(Stream stream)
    {
        if (!stream.CanSeek || !stream.CanRead)
        {
            throw new ArgumentException("A zip is read from a seekable stream.", nameof(stream));
        }

        var source = new Source(stream);
        var length = stream.Length;
        var tailLength = (int)Math.Min(length, 22 + 0xFFFF);
        if (tailLength < 22)
        {
            throw new InvalidDataException("it is too short to be a zip file.");
        }

        var tail = new byte[tailLength];
        source.ReadAt(length - tailLength, tail);
        var end = -1;
        for (var i = tailLength - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail.AsSpan(i)) == EndSignature && i + 22 + BinaryPrimitives.ReadUInt16LittleEndian(tail.AsSpan(i + 20)) == tailLength)
            {
                end = i;
                break;
            }
        }

        if (end < 0)
        {
            throw new InvalidDataException("it has no end-of-central-directory record (not a zip, or truncated).");
        }

        var record = tail.AsSpan(end);
        long entries = BinaryPrimitives.ReadUInt16LittleEndian(record[10..]);
        long size = BinaryPrimitives.ReadUInt32LittleEndian(record[12..]);
        long start = BinaryPrimitives.ReadUInt32LittleEndian(record[16..]);
        var endAt = length - tailLength + end;
        var directoryEnd = endAt;
        if (endAt >= 20)
        {
            var locator = new byte[20];
            source.ReadAt(endAt - 20, locator);
            if (BinaryPrimitives.ReadUInt32LittleEndian(locator) == Zip64LocatorSignature)
            {
                var zip64At = (long)BinaryPrimitives.ReadUInt64LittleEndian(locator.AsSpan(8));
                if (zip64At < 0 || zip64At + 56 > endAt - 20)
                {
                    throw new InvalidDataException("its zip64 end record is outside the file (garbled or truncated).");
                }

                var zip64 = new byte[56];
                source.ReadAt(zip64At, zip64);
                if (BinaryPrimitives.ReadUInt32LittleEndian(zip64) != Zip64EndSignature)
                {
                    throw new InvalidDataException("its zip64 end record is missing where the locator points (garbled or truncated).");
                }

                entries = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(32));
                size = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(40));
                start = (long)BinaryPrimitives.ReadUInt64LittleEndian(zip64.AsSpan(48));
                directoryEnd = zip64At;
            }
        }

        if (entries < 0 || size < 0 || start < 0 || start + size > directoryEnd || size < entries * 46)
        {
            throw new InvalidDataException($"its central directory ({entries} entries, {size} bytes at offset {start}) does not fit in the file (garbled or truncated).");
        }

        return new ZipReader(source, length, entries, start, size);
    }

    /// <summary>
    /// The entries in central-directory order, read from the file as they are enumerated (each walk reads the directory
    /// again). Throws <see cref="InvalidDataException"/> at the first record that is garbled.
    /// </summary>
    public IEnumerable<ZipEntry> Entries()
    {
        var window = new byte[DirectoryWindowBytes];
        var windowStart = DirectoryStart;
        var windowLength = 0;
        var at = DirectoryStart;
        var end = DirectoryStart + DirectorySize;
        for (long index = 0; index < EntryCount; index++)
        {
            var fixedPart = Window(at, 46);
            if (BinaryPrimitives.ReadUInt32LittleEndian(fixedPart) != CentralHeaderSignature)
            {
                throw new InvalidDataException($"its central directory is garbled at entry {index + 1} of {EntryCount} (offset {at}).");
            }

            var flags = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[8..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[10..]);
            var crc = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[16..]);
            long compressed = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[20..]);
            long size = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[24..]);
            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[28..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[30..]);
            var commentLength = BinaryPrimitives.ReadUInt16LittleEndian(fixedPart[32..]);
            long offset = BinaryPrimitives.ReadUInt32LittleEndian(fixedPart[42..]);
            var variable = Window(at + 46, nameLength + extraLength);
            var name = (flags & 0x0800) != 0 || IsAscii(variable[..nameLength])
                ? Encoding.UTF8.GetString(variable[..nameLength])
                : Encoding.Latin1.GetString(variable[..nameLength]);
            ReadZip64(variable.Slice(nameLength, extraLength), ref size, ref compressed, ref offset);
            if (compressed < 0 || size < 0 || offset < 0 || offset + 30 + compressed > DirectoryStart)
            {
                throw new InvalidDataException($"its central directory places '{name}' outside the file's data (garbled or truncated).");
            }

            yield return new ZipEntry(index, name, flags, method, crc, compressed, size, offset);
            at += 46 + nameLength + extraLength + commentLength;
        }

        if (at > end)
        {
            throw new InvalidDataException("its central directory is longer than the end record says (garbled).");
        }

        ReadOnlySpan<byte> Window(long offset, int count)
        {
            if (offset + count > end)
            {
                throw new InvalidDataException("its central directory ends in the middle of a record (garbled or truncated).");
            }

            if (offset < windowStart || offset + count > windowStart + windowLength)
            {
                windowStart = offset;
                windowLength = (int)Math.Min(window.Length, end - offset);
                _stream.ReadAt(windowStart, window.AsSpan(0, windowLength));
            }

            return window.AsSpan((int)(offset - windowStart), count);
        }
    }

    /// <summary>
    /// Opens an entry's content, inflated when deflated. The stream hashes what it returns (<see cref="ZipEntryStream.Sha256"/>)
    /// and, at its end, throws <see cref="InvalidDataException"/> unless the size and CRC-32 match the directory.
    /// </summary>
    public ZipEntryStream Open(ZipEntry entry)
    {
        if ((entry.Flags & 0x0001) != 0)
        {
            throw new InvalidDataException("is encrypted, which no bundle is.");
        }

        if (entry.Method is not (0 or 8))
        {
            throw new InvalidDataException($"uses compression method {entry.Method}; a bundle is stored or deflated.");
        }

        // One read takes the local header and, for a small entry, all its data (a bundle is mostly small entries).
        var limit = Math.Min(_length, DirectoryStart);
        var firstRead = (int)Math.Min(ZipEntryStream.ChunkBytes, Math.Min(limit - entry.LocalHeaderOffset, 30 + 512 + entry.CompressedSize));
        if (firstRead < 30)
        {
            throw new InvalidDataException("has no local header where the central directory points (garbled).");
        }

        var chunk = ArrayPool<byte>.Shared.Rent(ZipEntryStream.ChunkBytes);
        try
        {
            _stream.ReadAt(entry.LocalHeaderOffset, chunk.AsSpan(0, firstRead));
            var header = chunk.AsSpan(0, 30);
            if (BinaryPrimitives.ReadUInt32LittleEndian(header) != LocalHeaderSignature)
            {
                throw new InvalidDataException("has no local header where the central directory points (garbled).");
            }

            var nameLength = BinaryPrimitives.ReadUInt16LittleEndian(header[26..]);
            var extraLength = BinaryPrimitives.ReadUInt16LittleEndian(header[28..]);
            var localFlags = BinaryPrimitives.ReadUInt16LittleEndian(header[6..]);
            var method = BinaryPrimitives.ReadUInt16LittleEndian(header[8..]);
            var localCrc = BinaryPrimitives.ReadUInt32LittleEndian(header[14..]);
            var localCompressed = BinaryPrimitives.ReadUInt32LittleEndian(header[18..]);
            var localSize = BinaryPrimitives.ReadUInt32LittleEndian(header[22..]);
            var nameBytes = 30 + nameLength <= firstRead ? chunk.AsSpan(30, nameLength).ToArray() : ReadName(entry.LocalHeaderOffset + 30, nameLength);
            var localName = (localFlags & 0x0800) != 0 || IsAscii(nameBytes) ? Encoding.UTF8.GetString(nameBytes) : Encoding.Latin1.GetString(nameBytes);
            if (localName != entry.Name)
            {
                throw new InvalidDataException($"is named '{localName}' in its local header: the zip's two lists of entries disagree, so tools would extract different files.");
            }

            if (method != entry.Method)
            {
                throw new InvalidDataException("has a different compression method in its local header than in the central directory.");
            }

            if ((localFlags & 0x0008) == 0
                && (localCrc != entry.Crc32
                    || (localCompressed != 0xFFFFFFFF && localCompressed != entry.CompressedSize)
                    || (localSize != 0xFFFFFFFF && localSize != entry.Size)))
            {
                throw new InvalidDataException("has a different CRC or size in its local header than in the central directory.");
            }

            var dataOffset = 30 + nameLength + extraLength;
            if (entry.LocalHeaderOffset + dataOffset + entry.CompressedSize > limit)
            {
                throw new InvalidDataException("runs past the end of the zip's data (truncated).");
            }

            var stream = dataOffset <= firstRead
                ? new ZipEntryStream(this, _stream, entry, chunk, dataOffset, (int)Math.Min(firstRead, dataOffset + entry.CompressedSize), entry.LocalHeaderOffset + firstRead)
                : new ZipEntryStream(this, _stream, entry, chunk, 0, 0, entry.LocalHeaderOffset + dataOffset);
            chunk = null; // the stream returns it
            return stream;
        }
        finally
        {
            if (chunk is not null)
            {
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }
    }

    /// <summary>One SHA-256 and one CRC-32 state for all entries, read one at a time: setting a SHA-256 up costs more than hashing a small entry.</summary>
    internal IncrementalHash Sha256Hash { get; } = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    internal Crc32 Crc { get; } = new();

    private byte[] ReadName(long offset, int length)
    {
        var name = new byte[length];
        _stream.ReadAt(offset, name);
        return name;
    }

    /// <summary>
    /// Reads at an offset: from a file straight from its handle (taken once: asking a <see cref="FileStream"/> for it
    /// each time costs a seek), else by seeking the stream.
    /// </summary>
    internal sealed class Source(Stream stream)
    {
        private readonly Microsoft.Win32.SafeHandles.SafeFileHandle? _handle = stream is FileStream file ? file.SafeFileHandle : null;

        public void ReadAt(long offset, Span<byte> buffer)
        {
            if (_handle is not null)
            {
                var total = 0;
                while (total < buffer.Length)
                {
                    var read = RandomAccess.Read(_handle, buffer[total..], offset + total);
                    if (read == 0)
                    {
                        throw new InvalidDataException("it ends early (truncated).");
                    }

                    total += read;
                }

                return;
            }

            stream.Position = offset;
            try
            {
                stream.ReadExactly(buffer);
            }
            catch (EndOfStreamException ex)
            {
                throw new InvalidDataException("it ends early (truncated).", ex);
            }
        }
    }

    private static bool IsAscii(ReadOnlySpan<byte> bytes) => System.Text.Ascii.IsValid(bytes);

    private static void ReadZip64(ReadOnlySpan<byte> extra, ref long size, ref long compressed, ref long offset)
    {
        while (extra.Length >= 4)
        {
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(extra);
            var length = BinaryPrimitives.ReadUInt16LittleEndian(extra[2..]);
            if (4 + length > extra.Length)
            {
                throw new InvalidDataException("has a garbled extra field in its central directory record.");
            }

            if (tag == 0x0001)
            {
                // Only the fields whose 32-bit value is saturated are present, in this order.
                var data = extra.Slice(4, length);
                if (size == 0xFFFFFFFF)
                {
                    size = Take(ref data);
                }

                if (compressed == 0xFFFFFFFF)
                {
                    compressed = Take(ref data);
                }

                if (offset == 0xFFFFFFFF)
                {
                    offset = Take(ref data);
                }
            }

            extra = extra[(4 + length)..];
        }

        static long Take(ref ReadOnlySpan<byte> data)
        {
            if (data.Length < 8)
            {
                throw new InvalidDataException("has a zip64 extra field too short for the sizes it must hold.");
            }

            var value = (long)BinaryPrimitives.ReadUInt64LittleEndian(data);
            data = data[8..];
            return value;
        }
    }
}

/// <summary>One central-directory record: what is needed to find, read and check an entry.</summary>
internal readonly record struct ZipEntry(long Index, string Name, ushort Flags, ushort Method, uint Crc32, long CompressedSize, long Size, long LocalHeaderOffset);

/// <summary>
/// An entry's content as it is read: bounded to its compressed bytes, inflated when deflated, counted and hashed. The
/// last read checks the size and CRC-32 against the central directory.
/// </summary>
internal sealed class ZipEntryStream : Stream
{
    internal const int ChunkBytes = 64 * 1024;
    private readonly ZipReader.Source _zip;
    private readonly ZipEntry _entry;
    private readonly Stream? _inflater;
    private readonly IncrementalHash _sha256;
    private readonly Crc32 _crc;
    private long _next;
    private long _remaining;
    private long _size;
    private bool _ended;
    private bool _hashTaken;
    private byte[]? _chunk;
    private int _chunkStart;
    private int _chunkLength;

    /// <param name="chunk">A pooled buffer holding the entry's first bytes from <paramref name="chunkStart"/> to <paramref name="chunkEnd"/>; returned on dispose.</param>
    /// <param name="next">Where the bytes after the chunk's start in the file.</param>
    internal ZipEntryStream(ZipReader reader, ZipReader.Source zip, ZipEntry entry, byte[] chunk, int chunkStart, int chunkEnd, long next)
    {
        _zip = zip;
        _entry = entry;
        _sha256 = reader.Sha256Hash;
        _crc = reader.Crc;
        _crc.Reset();
        _chunk = chunk;
        _chunkStart = chunkStart;
        _chunkLength = chunkEnd;
        _next = next;
        _remaining = entry.CompressedSize - (chunkEnd - chunkStart);
        if (entry.Method == 8)
        {
            _inflater = new DeflateStream(new Raw(this), CompressionMode.Decompress);
        }
    }

    /// <summary>The content's size as read so far.</summary>
    public long Size => _size;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => _entry.Size;

    public override long Position
    {
        get => _size;
        set => throw new NotSupportedException();
    }

    /// <summary>The SHA-256 of the content; call after reading to the end.</summary>
    public byte[] Sha256()
    {
        var hash = new byte[32];
        _sha256.GetHashAndReset(hash);
        _hashTaken = true;
        return hash;
    }

    /// <summary>Reads the rest, so <see cref="Sha256"/> covers all of it.</summary>
    public void Drain()
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkBytes);
        try
        {
            while (Read(buffer, 0, buffer.Length) > 0)
            {
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads the whole content into one array (the caller has bounded its size).</summary>
    public byte[] ReadAll()
    {
        var bytes = new byte[_entry.Size];
        var total = 0;
        while (total < bytes.Length)
        {
            var read = Read(bytes.AsSpan(total));
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        // One more read to reach the end and its checks; a longer content than the directory says fails there.
        Span<byte> probe = stackalloc byte[1];
        if (Read(probe) != 0)
        {
            throw new InvalidDataException("is longer than the central directory says (damaged).");
        }

        return bytes;
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (buffer.Length == 0 || _ended)
        {
            return 0;
        }

        int read;
        try
        {
            read = _inflater is null ? ReadCompressed(buffer) : _inflater.Read(buffer);
        }
        catch (InvalidDataException ex)
        {
            throw new InvalidDataException($"has damaged compressed data ({ex.Message.TrimEnd('.')}).", ex);
        }

        if (read == 0)
        {
            _ended = true;
            if (_size != _entry.Size)
            {
                throw new InvalidDataException($"holds {_size} bytes, not the {_entry.Size} its central directory records (damaged).");
            }

            if (_crc.GetCurrentHashAsUInt32() != _entry.Crc32)
            {
                throw new InvalidDataException("does not match its CRC-32 (damaged).");
            }

            return 0;
        }

        _size += read;
        if (_size > _entry.Size)
        {
            throw new InvalidDataException($"holds more than the {_entry.Size} bytes its central directory records (damaged).");
        }

        _sha256.AppendData(buffer[..read]);
        _crc.Append(buffer[..read]);
        return read;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(Read(buffer.Span));
    }

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
            _inflater?.Dispose();
            if (!_hashTaken)
            {
                _sha256.GetHashAndReset(stackalloc byte[32]);
            }

            if (_chunk is { } chunk)
            {
                _chunk = null;
                ArrayPool<byte>.Shared.Return(chunk);
            }
        }

        base.Dispose(disposing);
    }

    /// <summary>The stored bytes, read through one chunk (small entries in one read).</summary>
    private int ReadCompressed(Span<byte> buffer)
    {
        if (_chunkStart == _chunkLength)
        {
            if (_remaining == 0)
            {
                return 0;
            }

            _chunk ??= ArrayPool<byte>.Shared.Rent(ChunkBytes);
            _chunkLength = (int)Math.Min(_chunk.Length, _remaining);
            _zip.ReadAt(_next, _chunk.AsSpan(0, _chunkLength));
            _next += _chunkLength;
            _remaining -= _chunkLength;
            _chunkStart = 0;
        }

        var count = Math.Min(buffer.Length, _chunkLength - _chunkStart);
        _chunk.AsSpan(_chunkStart, count).CopyTo(buffer);
        _chunkStart += count;
        return count;
    }

    /// <summary>The compressed bytes, for the inflater.</summary>
    private sealed class Raw(ZipEntryStream owner) : Stream
    {
        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => owner.ReadCompressed(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer) => owner.ReadCompressed(buffer);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
