using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Evidence.Store;

/// <summary>
/// One link of the hash-chained ledger: an item written, its hash, and the hash of the previous link.
/// <see cref="Hash"/> = SHA-256 of the canonical JSON of every other field, so changing, removing or
/// reordering any entry breaks the chain from there on.
/// </summary>
public sealed record LedgerEntry
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    public required long Sequence { get; init; }

    /// <summary>The writer segment this entry belongs to (one chain per segment; see docs/storage.md).</summary>
    public required string Segment { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    public required string ItemId { get; init; }

    public required string ItemSha256 { get; init; }

    public required string Kind { get; init; }

    public required IReadOnlyList<string> Controls { get; init; }

    public required string SubjectKey { get; init; }

    public required IReadOnlyList<string> AiSystems { get; init; }

    public required DateTimeOffset ObservedAt { get; init; }

    public string? RawSha256 { get; init; }

    /// <summary>
    /// The kind the item is indexed under when it differs from <see cref="Kind"/> (a collector error records the kind it
    /// attempted). Absent otherwise, so entries written before this field existed keep their hashes.
    /// </summary>
    public string? AttemptedKind { get; init; }

    /// <summary>The kind the index files this entry under.</summary>
    public string IndexKind => AttemptedKind ?? Kind;

    public bool IsCollectorError => Kind == EvidenceKinds.CollectorError;

    public required string PreviousHash { get; init; }

    public string Hash { get; init; } = "";

    public static LedgerEntry Create(EvidenceItem item, string segment, long sequence, string previousHash, DateTimeOffset recordedAt)
    {
        var entry = new LedgerEntry
        {
            Sequence = sequence,
            Segment = segment,
            RecordedAt = recordedAt,
            ItemId = item.Id,
            ItemSha256 = item.Sha256,
            Kind = item.Kind,
            Controls = item.Controls,
            SubjectKey = item.Subject.Key,
            AiSystems = item.Subject.AiSystemIds,
            ObservedAt = item.ObservedAt,
            RawSha256 = item.RawSha256,
            AttemptedKind = item.IndexKind == item.Kind ? null : item.IndexKind,
            PreviousHash = previousHash,
        };
        return entry with { Hash = entry.ComputeHash() };
    }

    public string ComputeHash() => CanonicalJson.Sha256Hex(ToCanonicalBytes(includeHash: false));

    public bool IsIntact => Hash == ComputeHash();

    public JsonObject ToNode(bool includeHash = true)
    {
        var node = new JsonObject
        {
            ["seq"] = Sequence,
            ["segment"] = Segment,
            ["recordedAt"] = CanonicalJson.Timestamp(RecordedAt),
            ["itemId"] = ItemId,
            ["itemSha256"] = ItemSha256,
            ["kind"] = Kind,
            ["controls"] = new JsonArray(Controls.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["subject"] = SubjectKey,
            ["aiSystems"] = new JsonArray(AiSystems.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["observedAt"] = CanonicalJson.Timestamp(ObservedAt),
            ["rawSha256"] = RawSha256,
            ["prev"] = PreviousHash,
        };
        if (AttemptedKind is not null)
        {
            node["attemptedKind"] = AttemptedKind;
        }

        if (includeHash)
        {
            node["hash"] = Hash;
        }

        return node;
    }

    /// <summary>One ledger line: canonical JSON, no trailing newline.</summary>
    public string ToLine() => Encoding.UTF8.GetString(ToCanonicalBytes());

    /// <summary>
    /// The canonical JSON of <see cref="ToNode"/>, written field by field in canonical (ordinal) key order without building
    /// the node tree: every entry is hashed when written and re-written into each bundle's ledger proof. A test holds it
    /// byte for byte to <c>CanonicalJson.ToBytes(ToNode())</c>, which defines it.
    /// </summary>
    public byte[] ToCanonicalBytes(bool includeHash = true)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, CanonicalJson.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteStartArray("aiSystems");
            foreach (var system in AiSystems)
            {
                json.WriteStringValue(system);
            }

            json.WriteEndArray();
            if (AttemptedKind is not null)
            {
                json.WriteString("attemptedKind", AttemptedKind);
            }

            json.WriteStartArray("controls");
            foreach (var control in Controls)
            {
                json.WriteStringValue(control);
            }

            json.WriteEndArray();
            if (includeHash)
            {
                json.WriteString("hash", Hash);
            }

            json.WriteString("itemId", ItemId);
            json.WriteString("itemSha256", ItemSha256);
            json.WriteString("kind", Kind);
            json.WriteString("observedAt", CanonicalJson.Timestamp(ObservedAt));
            json.WriteString("prev", PreviousHash);
            if (RawSha256 is null)
            {
                json.WriteNull("rawSha256");
            }
            else
            {
                json.WriteString("rawSha256", RawSha256);
            }

            json.WriteString("recordedAt", CanonicalJson.Timestamp(RecordedAt));
            json.WriteString("segment", Segment);
            json.WriteNumber("seq", Sequence);
            json.WriteString("subject", SubjectKey);
            json.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// Reads one ledger line. Throws <see cref="FormatException"/> when it is not a JSON object with every required field
    /// of the right type. Read token by token (no document tree): a bundle or a verification reads every line of the
    /// ledger, 100,000 and more.
    /// </summary>
    public static LedgerEntry ParseLine(string line)
    {
        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(line.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(line, rented);
            return Parse(rented.AsSpan(0, length));
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"A ledger line is malformed: {ex.Message}", ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static LedgerEntry Parse(ReadOnlySpan<byte> utf8)
    {
        var reader = new Utf8JsonReader(utf8);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("it is not a JSON object.");
        }

        long? sequence = null;
        string? segment = null, recordedAt = null, itemId = null, itemSha256 = null, kind = null, subject = null, observedAt = null;
        string? rawSha256 = null, attemptedKind = null, previous = null, hash = null;
        string[]? controls = null;
        string[] aiSystems = [];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            if (!seen.Add(name))
            {
                throw new FormatException($"'{name}' appears twice.");
            }

            reader.Read();
            switch (name)
            {
                case "seq":
                    sequence = reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number) ? number : throw new FormatException("'seq' is not a whole number.");
                    break;
                case "segment": segment = Text(ref reader, name); break;
                case "recordedAt": recordedAt = Text(ref reader, name); break;
                case "itemId": itemId = Text(ref reader, name); break;
                case "itemSha256": itemSha256 = Text(ref reader, name); break;
                case "kind": kind = Text(ref reader, name); break;
                case "subject": subject = Text(ref reader, name); break;
                case "observedAt": observedAt = Text(ref reader, name); break;
                case "rawSha256": rawSha256 = Text(ref reader, name); break;
                case "attemptedKind": attemptedKind = Text(ref reader, name); break;
                case "prev": previous = Text(ref reader, name); break;
                case "hash": hash = Text(ref reader, name); break;
                case "controls": controls = Texts(ref reader, name) ?? throw new FormatException("'controls' is missing."); break;
                case "aiSystems": aiSystems = Texts(ref reader, name) ?? []; break;
                default: reader.Skip(); break;
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
        {
            throw new FormatException("it has more than one JSON object.");
        }

        static DateTimeOffset T(string? value, string name) =>
            DateTimeOffset.Parse(value ?? throw new FormatException($"'{name}' is missing."), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
        static string Required(string? value, string name) => value ?? throw new FormatException($"'{name}' is missing.");
        return new LedgerEntry
        {
            Sequence = sequence ?? throw new FormatException("'seq' is missing."),
            Segment = Required(segment, "segment"),
            RecordedAt = T(recordedAt, "recordedAt"),
            ItemId = Required(itemId, "itemId"),
            ItemSha256 = Required(itemSha256, "itemSha256"),
            Kind = Required(kind, "kind"),
            Controls = controls ?? throw new FormatException("'controls' is missing."),
            SubjectKey = Required(subject, "subject"),
            AiSystems = aiSystems,
            ObservedAt = T(observedAt, "observedAt"),
            RawSha256 = rawSha256,
            AttemptedKind = attemptedKind,
            PreviousHash = Required(previous, "prev"),
            Hash = Required(hash, "hash"),
        };
    }

    /// <summary>A string value, or null for JSON null; anything else is malformed.</summary>
    private static string? Text(ref Utf8JsonReader reader, string name) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new FormatException($"'{name}' is not a string."),
    };

    /// <summary>An array of strings, or null for JSON null.</summary>
    private static string[]? Texts(ref Utf8JsonReader reader, string name)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new FormatException($"'{name}' is not an array.");
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            values.Add(reader.TokenType == JsonTokenType.String ? reader.GetString()! : throw new FormatException($"'{name}' holds something other than strings."));
        }

        return values.ToArray();
    }
}
