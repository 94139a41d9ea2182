using System.Collections;
using Aims.Evidence.Items;
using Aims.Reporting.IO;

namespace Aims.Reporting.Bundle;

/// <summary>
/// The bundled items' references (what index.html, controls.csv, the SoA and the OSCAL file say of each item), kept in a
/// temporary file as they are written instead of in memory. In memory stay only, per control, the offsets of its items'
/// records (8 bytes per item and control), so a bundle of 100,000 items holds a few MB where it held a list of their
/// references. Enumerations read the records back in the order the items were bundled.
/// </summary>
internal sealed class BundleItemSpool : IDisposable
{
    private readonly SpoolFile _spool = new();
    private readonly MemoryStream _record = new();
    private readonly BinaryWriter _writer;
    private readonly Dictionary<string, List<long>> _byRecorded = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<long>> _byMapped = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _systems = [];
    private readonly HashSet<string> _systemSet = new(StringComparer.OrdinalIgnoreCase);

    public BundleItemSpool()
    {
        _writer = new BinaryWriter(_record);
    }

    /// <summary>Items added.</summary>
    public int Count => _spool.Count;

    /// <summary>The AI systems named by items that record at least one control, in the spelling first seen.</summary>
    public IReadOnlyList<string> AiSystems => _systems;

    public void Add(BundleItemRef item)
    {
        _record.SetLength(0);
        Write(item);
        _writer.Flush();
        var offset = _spool.Append(_record.GetBuffer().AsSpan(0, (int)_record.Length));
        var recorded = item.Controls.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        foreach (var control in recorded)
        {
            Offsets(_byRecorded, control).Add(offset);
        }

        foreach (var control in item.MappedControls.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            Offsets(_byMapped, control).Add(offset);
        }

        if (recorded.Count > 0)
        {
            foreach (var system in item.AiSystems.Where(_systemSet.Add))
            {
                _systems.Add(system);
            }
        }
    }

    /// <summary>Every item, in the order bundled.</summary>
    public IEnumerable<BundleItemRef> All() => _spool.Offsets().Select(ReadAt);

    /// <summary>The items that record <paramref name="control"/> (index.html's sections and controls.csv's counts).</summary>
    public IReadOnlyList<BundleItemRef> ForRecordedControl(string control) => Lazy(_byRecorded, control);

    /// <summary>
    /// The ids of the items that record <paramref name="control"/> or whose kind the current requirements map to it (the SoA's
    /// links, OSCAL's related observations): only the id of each record is read back.
    /// </summary>
    public IReadOnlyList<string> IdsForMappedControl(string control) =>
        new ProjectedList<long, string>(_byMapped.GetValueOrDefault(control) ?? [], offset => new SpanReader(_spool.Read(offset)).String());

    public void Dispose()
    {
        _writer.Dispose();
        _spool.Dispose();
    }

    private static List<long> Offsets(Dictionary<string, List<long>> index, string control)
    {
        if (!index.TryGetValue(control, out var list))
        {
            list = [];
            index[control] = list;
        }

        return list;
    }

    private SpooledList Lazy(Dictionary<string, List<long>> index, string control) =>
        new(this, index.GetValueOrDefault(control) ?? []);

    private BundleItemRef ReadAt(long offset)
    {
        var reader = new SpanReader(_spool.Read(offset));
        var id = reader.String();
        var kind = reader.String();
        var subjectKey = reader.String();
        var displayName = reader.String();
        var observedAt = reader.Time();
        var controls = reader.Strings();
        var aiSystems = reader.Strings();
        var requirementIds = reader.Strings();
        var summary = reader.String();
        var raw = reader.OptionalString();
        return new BundleItemRef(id, kind, subjectKey, displayName, observedAt, controls, aiSystems, requirementIds, summary, raw)
        {
            MappedControls = reader.Strings(),
            Expires = reader.OptionalTime(),
            Sha256 = reader.String(),
            EvidenceDate = reader.OptionalTime(),
            Period = reader.OptionalTime() is { } from ? new EvidencePeriod(from, reader.Time()) : null,
            Source = reader.String(),
            RawMediaType = reader.OptionalString(),
        };
    }

    private void Write(BundleItemRef item)
    {
        _writer.Write(item.Id);
        _writer.Write(item.Kind);
        _writer.Write(item.SubjectKey);
        _writer.Write(item.DisplayName);
        WriteTime(item.ObservedAt);
        WriteStrings(item.Controls);
        WriteStrings(item.AiSystems);
        WriteStrings(item.RequirementIds);
        _writer.Write(item.Summary);
        WriteOptional(item.RawSha256);
        WriteStrings(item.MappedControls);
        WriteOptionalTime(item.Expires);
        _writer.Write(item.Sha256);
        WriteOptionalTime(item.EvidenceDate);
        WriteOptionalTime(item.Period?.From);
        if (item.Period is { } period)
        {
            WriteTime(period.To);
        }

        _writer.Write(item.Source);
        WriteOptional(item.RawMediaType);
    }

    private void WriteStrings(IReadOnlyList<string> values)
    {
        _writer.Write(values.Count);
        foreach (var value in values)
        {
            _writer.Write(value);
        }
    }

    private void WriteOptional(string? value)
    {
        _writer.Write(value is not null);
        if (value is not null)
        {
            _writer.Write(value);
        }
    }

    private void WriteTime(DateTimeOffset time)
    {
        _writer.Write(time.Ticks);
        _writer.Write((short)time.Offset.TotalMinutes);
    }

    private void WriteOptionalTime(DateTimeOffset? time)
    {
        _writer.Write(time.HasValue);
        if (time is { } value)
        {
            WriteTime(value);
        }
    }

    /// <summary>Reads what <see cref="BinaryWriter"/> wrote, from a span of the spool.</summary>
    private ref struct SpanReader(ReadOnlySpan<byte> data)
    {
        private readonly ReadOnlySpan<byte> _data = data;
        private int _position;

        public string String()
        {
            var length = 0;
            var shift = 0;
            byte b;
            do
            {
                b = _data[_position++];
                length |= (b & 0x7F) << shift;
                shift += 7;
            }
            while ((b & 0x80) != 0);

            var value = System.Text.Encoding.UTF8.GetString(_data.Slice(_position, length));
            _position += length;
            return value;
        }

        public string? OptionalString() => Bool() ? String() : null;

        public string[] Strings()
        {
            var values = new string[Int32()];
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = String();
            }

            return values;
        }

        public DateTimeOffset Time()
        {
            var ticks = System.Buffers.Binary.BinaryPrimitives.ReadInt64LittleEndian(_data[_position..]);
            var minutes = System.Buffers.Binary.BinaryPrimitives.ReadInt16LittleEndian(_data[(_position + 8)..]);
            _position += 10;
            return new DateTimeOffset(ticks, TimeSpan.FromMinutes(minutes));
        }

        public DateTimeOffset? OptionalTime() => Bool() ? Time() : null;

        private bool Bool() => _data[_position++] != 0;

        private int Int32()
        {
            var value = System.Buffers.Binary.BinaryPrimitives.ReadInt32LittleEndian(_data[_position..]);
            _position += 4;
            return value;
        }
    }

    /// <summary>Items of one control, read from the spool each time they are enumerated.</summary>
    private sealed class SpooledList(BundleItemSpool spool, List<long> offsets) : IReadOnlyList<BundleItemRef>
    {
        public int Count => offsets.Count;

        public BundleItemRef this[int index] => spool.ReadAt(offsets[index]);

        public IEnumerator<BundleItemRef> GetEnumerator() => offsets.Select(spool.ReadAt).GetEnumerator();

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
