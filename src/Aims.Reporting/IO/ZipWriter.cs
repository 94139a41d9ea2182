using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;

namespace Aims.Reporting.IO;

/// <summary>
/// Writes a zip (zip64 where it must) one entry at a time to a stream that need not seek and may take only asynchronous
/// writes (an HTTP response). It exists because <see cref="ZipArchive"/> keeps an object per entry until the archive is
/// closed, so its memory grew with a bundle's file count: here each entry's central-directory record goes to a temporary
/// file as the entry is finished and is copied to the output at the end, and memory holds nothing per entry.
/// Every entry's SHA-256 and CRC-32 are computed as its bytes pass, so the content is read and written once.
/// An entry that fits in <see cref="SmallEntryBytes"/> once compressed is written with its sizes and CRC in its local
/// header; a larger one is streamed with sizes in a data descriptor after its data (general-purpose flag bit 3), which
/// every reader takes from the central directory anyway.
/// </summary>
internal sealed class ZipWriter : IAsyncDisposable, IDisposable
{
    /// <summary>Compressed bytes held per entry before it is streamed instead (its local header written first).</summary>
    public const int SmallEntryBytes = 256 * 1024;

    private const int OutputBufferBytes = 256 * 1024;
    private const uint LocalHeaderSignature = 0x04034b50;
    private const uint CentralHeaderSignature = 0x02014b50;
    private const uint DataDescriptorSignature = 0x08074b50;
    private const uint Zip64EndSignature = 0x06064b50;
    private const uint Zip64LocatorSignature = 0x07064b50;
    private const uint EndSignature = 0x06054b50;
    private const ushort Zip64ExtraTag = 0x0001;
    private const ushort FlagDataDescriptor = 0x0008;
    private const ushort FlagUtf8 = 0x0800;

    // Made by Unix (3) with spec 4.5, and regular-file mode 0644, so unzip extracts readable files.
    private const ushort VersionMadeBy = (3 << 8) | 45;
    private const uint ExternalAttributes = 0x81A4u << 16;

    private readonly Stream _output;
    private readonly ushort _dosTime;
    private readonly ushort _dosDate;
    private readonly FileStream _central;
    private readonly byte[] _pending = new byte[OutputBufferBytes];
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly Crc32 _crc = new();
    private int _pendingLength;
    private long _position;
    private long _entries;
    private bool _inEntry;
    private bool _finished;

    /// <param name="output">Where the zip goes; left open.</param>
    /// <param name="modified">Every entry's modification time (zip keeps local time without a zone: the UTC wall clock is written).</param>
    public ZipWriter(Stream output, DateTimeOffset modified)
    {
        _output = output;
        var utc = modified.UtcDateTime;
        var clamped = utc.Year < 1980 ? new DateTime(1980, 1, 1) : utc.Year > 2107 ? new DateTime(2107, 12, 31, 23, 59, 58) : utc;
        _dosTime = (ushort)((clamped.Hour << 11) | (clamped.Minute << 5) | (clamped.Second / 2));
        _dosDate = (ushort)(((clamped.Year - 1980) << 9) | (clamped.Month << 5) | clamped.Day);
        _central = new FileStream(Path.Combine(Path.GetTempPath(), "aims-zipdir-" + Path.GetRandomFileName()), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 64 * 1024, FileOptions.DeleteOnClose);
    }

    /// <summary>
    /// Writes one entry: <paramref name="write"/> writes its content to the stream it is given (deflated when
    /// <paramref name="deflate"/>, else stored). Returns the content's size and SHA-256.
    /// </summary>
    public async Task<ZipEntryWritten> WriteEntryAsync(string name, bool deflate, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        if (_inEntry)
        {
            throw new InvalidOperationException("A zip entry is already being written.");
        }

        _inEntry = true;
        try
        {
            var entry = new Entry(this, name, deflate);
            try
            {
                var content = new ContentStream(this, entry);
                if (deflate)
                {
                    var deflater = new DeflateStream(entry, CompressionLevel.Fastest, leaveOpen: true);
                    await using (deflater.ConfigureAwait(false))
                    {
                        content.Target = deflater;
                        await write(content, cancellationToken).ConfigureAwait(false);
                    }
                }
                else
                {
                    content.Target = entry;
                    await write(content, cancellationToken).ConfigureAwait(false);
                }

                return await entry.FinishAsync(content, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                entry.ReturnBuffer();
            }
        }
        finally
        {
            _inEntry = false;
        }
    }

    /// <summary>Writes the central directory and its end records, and flushes; the output is left open.</summary>
    public async Task FinishAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_finished, this);
        _finished = true;
        var centralStart = _position;
        _central.Flush();
        _central.Position = 0;
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = _central.Read(chunk, 0, chunk.Length)) > 0)
            {
                await AppendAsync(chunk.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        var centralSize = _position - centralStart;
        var end = new byte[56 + 20 + 22];
        var at = 0;
        var zip64 = _entries >= 0xFFFF || centralStart >= 0xFFFFFFFF || centralSize >= 0xFFFFFFFF;
        if (zip64)
        {
            var zip64End = _position;
            Put32(end, ref at, Zip64EndSignature);
            Put64(end, ref at, 44); // size of the rest of this record
            Put16(end, ref at, VersionMadeBy);
            Put16(end, ref at, 45);
            Put32(end, ref at, 0); // this disk
            Put32(end, ref at, 0); // disk where the central directory starts
            Put64(end, ref at, (ulong)_entries);
            Put64(end, ref at, (ulong)_entries);
            Put64(end, ref at, (ulong)centralSize);
            Put64(end, ref at, (ulong)centralStart);
            Put32(end, ref at, Zip64LocatorSignature);
            Put32(end, ref at, 0);
            Put64(end, ref at, (ulong)zip64End);
            Put32(end, ref at, 1); // total disks
        }

        Put32(end, ref at, EndSignature);
        Put16(end, ref at, 0);
        Put16(end, ref at, 0);
        Put16(end, ref at, (ushort)Math.Min(_entries, 0xFFFF));
        Put16(end, ref at, (ushort)Math.Min(_entries, 0xFFFF));
        Put32(end, ref at, (uint)Math.Min(centralSize, 0xFFFFFFFF));
        Put32(end, ref at, (uint)Math.Min(centralStart, 0xFFFFFFFF));
        Put16(end, ref at, 0); // no comment
        await AppendAsync(end.AsMemory(0, at), cancellationToken).ConfigureAwait(false);
        await FlushPendingAsync(cancellationToken).ConfigureAwait(false);
        await _output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        _finished = true;
        _central.Dispose();
        _sha256.Dispose();
    }

    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    private static void Put16(Span<byte> target, ref int at, ushort value)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(target[at..], value);
        at += 2;
    }

    private static void Put32(Span<byte> target, ref int at, uint value)
    {
        BinaryPrimitives.WriteUInt32LittleEndian(target[at..], value);
        at += 4;
    }

    private static void Put64(Span<byte> target, ref int at, ulong value)
    {
        BinaryPrimitives.WriteUInt64LittleEndian(target[at..], value);
        at += 8;
    }

    private async ValueTask AppendAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        _position += bytes.Length;
        if (_pendingLength + bytes.Length <= _pending.Length)
        {
            bytes.Span.CopyTo(_pending.AsSpan(_pendingLength));
            _pendingLength += bytes.Length;
            return;
        }

        await FlushPendingAsync(cancellationToken).ConfigureAwait(false);
        if (bytes.Length < _pending.Length / 2)
        {
            bytes.Span.CopyTo(_pending);
            _pendingLength = bytes.Length;
        }
        else
        {
            await _output.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask FlushPendingAsync(CancellationToken cancellationToken)
    {
        if (_pendingLength > 0)
        {
            var length = _pendingLength;
            _pendingLength = 0;
            await _output.WriteAsync(_pending.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
    }

    private byte[] LocalHeader(byte[] name, ushort flags, ushort method, uint crc, long compressed, long size, bool streamed)
    {
        // A streamed entry's sizes are unknown here: a zip64 field of zeros announces 8-byte sizes in its data descriptor.
        var header = new byte[30 + name.Length + (streamed ? 20 : 0)];
        var at = 0;
        Put32(header, ref at, LocalHeaderSignature);
        Put16(header, ref at, streamed ? (ushort)45 : method == 8 ? (ushort)20 : (ushort)10);
        Put16(header, ref at, flags);
        Put16(header, ref at, method);
        Put16(header, ref at, _dosTime);
        Put16(header, ref at, _dosDate);
        Put32(header, ref at, crc);
        Put32(header, ref at, streamed ? 0xFFFFFFFF : (uint)compressed);
        Put32(header, ref at, streamed ? 0xFFFFFFFF : (uint)size);
        Put16(header, ref at, (ushort)name.Length);
        Put16(header, ref at, streamed ? (ushort)20 : (ushort)0);
        name.CopyTo(header, at);
        at += name.Length;
        if (streamed)
        {
            Put16(header, ref at, Zip64ExtraTag);
            Put16(header, ref at, 16);
            Put64(header, ref at, 0);
            Put64(header, ref at, 0);
        }

        return header;
    }

    private void AppendCentral(byte[] name, ushort flags, ushort method, uint crc, long compressed, long size, long offset, bool streamed)
    {
        var bigSize = size >= 0xFFFFFFFF || compressed >= 0xFFFFFFFF;
        var bigOffset = offset >= 0xFFFFFFFF;
        var extraLength = (bigSize ? 16 : 0) + (bigOffset ? 8 : 0);
        var extra = extraLength > 0 ? 4 + extraLength : 0;
        Span<byte> record = stackalloc byte[46 + 4 + 24];
        var at = 0;
        Put32(record, ref at, CentralHeaderSignature);
        Put16(record, ref at, VersionMadeBy);
        Put16(record, ref at, streamed || extra > 0 ? (ushort)45 : method == 8 ? (ushort)20 : (ushort)10);
        Put16(record, ref at, flags);
        Put16(record, ref at, method);
        Put16(record, ref at, _dosTime);
        Put16(record, ref at, _dosDate);
        Put32(record, ref at, crc);
        Put32(record, ref at, bigSize ? 0xFFFFFFFF : (uint)compressed);
        Put32(record, ref at, bigSize ? 0xFFFFFFFF : (uint)size);
        Put16(record, ref at, (ushort)name.Length);
        Put16(record, ref at, (ushort)extra);
        Put16(record, ref at, 0); // comment
        Put16(record, ref at, 0); // disk
        Put16(record, ref at, 0); // internal attributes
        Put32(record, ref at, ExternalAttributes);
        Put32(record, ref at, bigOffset ? 0xFFFFFFFF : (uint)offset);
        _central.Write(record[..at]);
        _central.Write(name);
        if (extra > 0)
        {
            at = 0;
            Put16(record, ref at, Zip64ExtraTag);
            Put16(record, ref at, (ushort)extraLength);
            if (bigSize)
            {
                Put64(record, ref at, (ulong)size);
                Put64(record, ref at, (ulong)compressed);
            }

            if (bigOffset)
            {
                Put64(record, ref at, (ulong)offset);
            }

            _central.Write(record[..at]);
        }

        _entries++;
    }

    /// <summary>
    /// The compressed side of one entry: holds up to <see cref="SmallEntryBytes"/> and, past that, writes the local
    /// header and streams the rest straight to the output.
    /// </summary>
    private sealed class Entry(ZipWriter zip, string name, bool deflate) : Stream
    {
        private readonly byte[] _name = Encoding.UTF8.GetBytes(name);
        private readonly long _offset = zip._position;
        private byte[]? _held = ArrayPool<byte>.Shared.Rent(4096);
        private int _heldLength;
        private bool _streaming;

        public long Compressed { get; private set; }

        private ushort Flags => (ushort)((_streaming ? FlagDataDescriptor : 0) | (_name.Length != name.Length ? FlagUtf8 : 0));

        private ushort Method => deflate ? (ushort)8 : (ushort)0;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        // A synchronous write (a deflater's tail, a caller that is not async) is held, whatever its size, until the next async call.
        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Hold(buffer);
            Compressed += buffer.Length;
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Compressed += buffer.Length;
            if (!_streaming && _heldLength + buffer.Length <= SmallEntryBytes)
            {
                Hold(buffer.Span);
                return;
            }

            if (!_streaming)
            {
                _streaming = true;
                await zip.AppendAsync(zip.LocalHeader(_name, Flags, Method, 0, 0, 0, streamed: true), cancellationToken).ConfigureAwait(false);
            }

            await SendHeldAsync(cancellationToken).ConfigureAwait(false);
            await zip.AppendAsync(buffer, cancellationToken).ConfigureAwait(false);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public async Task<ZipEntryWritten> FinishAsync(ContentStream content, CancellationToken cancellationToken)
        {
            var crc = zip._crc.GetCurrentHashAsUInt32();
            zip._crc.Reset();
            var sha256 = new byte[32];
            zip._sha256.GetHashAndReset(sha256);
            var size = content.Size;
            if (_streaming)
            {
                await SendHeldAsync(cancellationToken).ConfigureAwait(false);
                var descriptor = new byte[24];
                var at = 0;
                Put32(descriptor, ref at, DataDescriptorSignature);
                Put32(descriptor, ref at, crc);
                Put64(descriptor, ref at, (ulong)Compressed);
                Put64(descriptor, ref at, (ulong)size);
                await zip.AppendAsync(descriptor, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await zip.AppendAsync(zip.LocalHeader(_name, Flags, Method, crc, Compressed, size, streamed: false), cancellationToken).ConfigureAwait(false);
                await zip.AppendAsync(_held.AsMemory(0, _heldLength), cancellationToken).ConfigureAwait(false);
                _heldLength = 0;
            }

            zip.AppendCentral(_name, Flags, Method, crc, Compressed, size, _offset, _streaming);
            return new ZipEntryWritten(name, size, sha256);
        }

        public void ReturnBuffer()
        {
            if (_held is { } held)
            {
                _held = null;
                ArrayPool<byte>.Shared.Return(held);
            }
        }

        private void Hold(ReadOnlySpan<byte> bytes)
        {
            if (_heldLength + bytes.Length > _held!.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_heldLength + bytes.Length, _held.Length * 2));
                _held.AsSpan(0, _heldLength).CopyTo(larger);
                ArrayPool<byte>.Shared.Return(_held);
                _held = larger;
            }

            bytes.CopyTo(_held.AsSpan(_heldLength));
            _heldLength += bytes.Length;
        }

        private async ValueTask SendHeldAsync(CancellationToken cancellationToken)
        {
            if (_heldLength > 0)
            {
                var length = _heldLength;
                _heldLength = 0;
                await zip.AppendAsync(_held.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    /// <summary>What the caller writes to: counts, hashes (SHA-256 and CRC-32) and passes the bytes to the deflater or the entry.</summary>
    private sealed class ContentStream(ZipWriter zip, Entry entry) : Stream
    {
        public Stream Target { get; set; } = entry;

        public long Size { get; private set; }

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => Size;
            set => throw new NotSupportedException();
        }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Count(buffer);
            Target.Write(buffer);
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Count(buffer.Span);
            return Target.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        private void Count(ReadOnlySpan<byte> bytes)
        {
            zip._sha256.AppendData(bytes);
            zip._crc.Append(bytes);
            Size += bytes.Length;
        }
    }
}

/// <summary>One entry as written: its name, content size and the SHA-256 of its content.</summary>
internal sealed record ZipEntryWritten(string Name, long Size, byte[] Sha256)
{
    public string Sha256Hex => Convert.ToHexStringLower(Sha256);
}
