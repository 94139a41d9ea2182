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

    public string ComputeHash() => CanonicalJson.Sha256Hex(CanonicalJson.ToBytes(ToNode(includeHash: false)));

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
    public string ToLine() => CanonicalJson.ToText(ToNode());

    public static LedgerEntry ParseLine(string line)
    {
        try
        {
            var n = JsonNode.Parse(line)!.AsObject();
            static DateTimeOffset T(JsonNode? v) => DateTimeOffset.Parse(v!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime();
            return new LedgerEntry
            {
                Sequence = n["seq"]!.GetValue<long>(),
                Segment = n["segment"]!.GetValue<string>(),
                RecordedAt = T(n["recordedAt"]),
                ItemId = n["itemId"]!.GetValue<string>(),
                ItemSha256 = n["itemSha256"]!.GetValue<string>(),
                Kind = n["kind"]!.GetValue<string>(),
                Controls = n["controls"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray(),
                SubjectKey = n["subject"]!.GetValue<string>(),
                AiSystems = n["aiSystems"]?.AsArray().Select(c => c!.GetValue<string>()).ToArray() ?? [],
                ObservedAt = T(n["observedAt"]),
                RawSha256 = n["rawSha256"]?.GetValue<string>(),
                AttemptedKind = n["attemptedKind"]?.GetValue<string>(),
                PreviousHash = n["prev"]!.GetValue<string>(),
                Hash = n["hash"]!.GetValue<string>(),
            };
        }
        catch (Exception ex) when (ex is JsonException or NullReferenceException or InvalidOperationException or FormatException)
        {
            throw new FormatException($"A ledger line is malformed: {ex.Message}", ex);
        }
    }
}
