using Aims.Reporting.IO;

namespace Aims.Reporting.Bundle;

/// <summary>
/// The files written so far (path, size, SHA-256), in order, kept in a temporary file for manifest.json and SHA256SUMS,
/// which are written last and list them all: a bundle of 100,000 files holds none of these records in memory.
/// </summary>
internal sealed class BundleFileSpool : IDisposable
{
    private readonly SpoolFile _spool = new();
    private readonly MemoryStream _record = new();
    private readonly BinaryWriter _writer;

    public BundleFileSpool()
    {
        _writer = new BinaryWriter(_record);
    }

    public int Count => _spool.Count;

    public void Add(BundleFile file)
    {
        _record.SetLength(0);
        _writer.Write(file.Path);
        _writer.Write(file.Size);
        _writer.Write(Convert.FromHexString(file.Sha256));
        _writer.Flush();
        _spool.Append(_record.GetBuffer().AsSpan(0, (int)_record.Length));
    }

    /// <summary>Every file in the order written, read back from the spool.</summary>
    public IEnumerable<BundleFile> All()
    {
        foreach (var offset in _spool.Offsets())
        {
            yield return Read(offset);
        }
    }

    public void Dispose()
    {
        _writer.Dispose();
        _spool.Dispose();
    }

    private BundleFile Read(long offset)
    {
        var record = _spool.Read(offset);
        using var reader = new BinaryReader(new MemoryStream(record.ToArray(), writable: false));
        var path = reader.ReadString();
        var size = reader.ReadInt64();
        var sha256 = Convert.ToHexStringLower(reader.ReadBytes(32));
        return new BundleFile(path, size, sha256);
    }
}
