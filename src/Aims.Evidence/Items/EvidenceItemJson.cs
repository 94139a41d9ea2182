using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;

namespace Aims.Evidence.Items;

/// <summary>Maps <see cref="EvidenceItem"/> to and from its canonical JSON document, and seals it with its hash.</summary>
public static class EvidenceItemJson
{
    /// <summary>Computes the item's hash and returns the item with <see cref="EvidenceItem.Sha256"/> set.</summary>
    public static EvidenceItem Seal(EvidenceItem item)
    {
        var body = ToNode(item with { Sha256 = "" }, includeHash: false);
        return item with { Sha256 = CanonicalJson.Sha256Hex(CanonicalJson.ToBytes(body)) };
    }

    /// <summary>Recomputes the hash of an item's content; equal to <see cref="EvidenceItem.Sha256"/> when intact.</summary>
    public static string ComputeHash(EvidenceItem item) =>
        CanonicalJson.Sha256Hex(CanonicalJson.ToBytes(ToNode(item, includeHash: false)));

    /// <summary>The bytes stored for an item: canonical JSON including its hash.</summary>
    public static byte[] ToBytes(EvidenceItem item) => CanonicalJson.ToBytes(ToNode(item, includeHash: true));

    public static JsonObject ToNode(EvidenceItem item, bool includeHash = true)
    {
        var node = new JsonObject
        {
            ["schemaVersion"] = item.SchemaVersion,
            ["id"] = item.Id,
            ["kind"] = item.Kind,
            ["controls"] = new JsonArray(item.Controls.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
            ["subject"] = new JsonObject
            {
                ["type"] = item.Subject.Type,
                ["id"] = item.Subject.Id,
                ["displayName"] = item.Subject.DisplayName,
                ["aiSystems"] = new JsonArray(item.Subject.AiSystemIds.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            },
            ["source"] = new JsonObject
            {
                ["system"] = item.Source.System,
                ["instance"] = item.Source.Instance,
                ["locator"] = item.Source.Locator,
                ["collector"] = item.Source.Collector,
                ["collectorVersion"] = item.Source.CollectorVersion,
            },
            ["runId"] = item.RunId,
            ["jobId"] = item.JobId,
            ["observedAt"] = CanonicalJson.Timestamp(item.ObservedAt),
            ["summary"] = item.Summary,
            ["facts"] = item.Facts.DeepClone(),
        };
        if (item.Period is { } p)
        {
            node["period"] = new JsonObject { ["from"] = CanonicalJson.Timestamp(p.From), ["to"] = CanonicalJson.Timestamp(p.To) };
        }

        if (item.EvidenceDate is { } d)
        {
            node["evidenceDate"] = CanonicalJson.Timestamp(d);
        }

        if (item.RawSha256 is not null)
        {
            node["raw"] = new JsonObject { ["sha256"] = item.RawSha256, ["mediaType"] = item.RawMediaType };
        }

        if (includeHash)
        {
            node["sha256"] = item.Sha256;
        }

        return node;
    }

    /// <summary>
    /// The hash of an item computed from its stored bytes (<see cref="ToBytes"/>), without parsing or re-serializing.
    /// The stored form is the canonical form the hash is defined over with one top-level member added,
    /// <c>,"sha256":"…"</c>; keys are sorted, and every <c>sha256</c> key of a nested object (<c>raw</c>, facts)
    /// sorts before it while no later member (<c>source</c>, <c>subject</c>, <c>summary</c>) has one, so it is the last
    /// such member in the bytes. Removing it gives exactly the bytes that were hashed when the item was sealed: equal
    /// to the recorded hash only when the stored bytes are, byte for byte, the sealed item.
    /// </summary>
    public static string ComputeStoredHash(ReadOnlySpan<byte> stored)
    {
        var at = stored.LastIndexOf(",\"sha256\":\""u8);
        if (at < 0)
        {
            return CanonicalJson.Sha256Hex(stored);
        }

        var valueStart = at + ",\"sha256\":\""u8.Length;
        var valueLength = stored[valueStart..].IndexOf((byte)'"');
        if (valueLength < 0)
        {
            return CanonicalJson.Sha256Hex(stored);
        }

        // One contiguous copy and a one-shot hash: cheaper than an incremental hash object per item.
        var tail = stored[(valueStart + valueLength + 1)..];
        var sealedLength = at + tail.Length;
        var rented = ArrayPool<byte>.Shared.Rent(sealedLength);
        try
        {
            stored[..at].CopyTo(rented);
            tail.CopyTo(rented.AsSpan(at));
            return CanonicalJson.Sha256Hex(rented.AsSpan(0, sealedLength));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Reads a stored item. Throws <see cref="FormatException"/> naming what is wrong when malformed: not UTF-8, not
    /// JSON, or not an item's shape. (The JSON reader checks UTF-8 only where it decodes text, so it is checked first.)
    /// </summary>
    public static EvidenceItem Parse(ReadOnlySpan<byte> utf8Json)
    {
        if (!Utf8.IsValid(utf8Json))
        {
            throw new FormatException("An evidence item is not valid UTF-8.");
        }

        JsonObject root;
        try
        {
            root = JsonNode.Parse(utf8Json) as JsonObject ?? throw new FormatException("An evidence item must be a JSON object.");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"An evidence item is not valid JSON: {ex.Message}", ex);
        }

        try
        {
            // The document was parsed here and nobody else holds it: its facts are taken over, not copied.
            return FromNode(root, ownsRoot: true);
        }
        catch (ArgumentException ex)
        {
            throw new FormatException($"An evidence item repeats a property name ({ex.Message}).", ex);
        }
    }

    public static EvidenceItem FromNode(JsonObject root) => FromNode(root, ownsRoot: false);

    private static EvidenceItem FromNode(JsonObject root, bool ownsRoot)
    {
        try
        {
            var subject = root["subject"]!.AsObject();
            var source = root["source"]!.AsObject();
            EvidencePeriod? period = root["period"] is JsonObject p
                ? new EvidencePeriod(DateTimeOffset.Parse(p["from"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture), DateTimeOffset.Parse(p["to"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture))
                : null;
            return new EvidenceItem
            {
                SchemaVersion = root["schemaVersion"]!.GetValue<int>(),
                Id = root["id"]!.GetValue<string>(),
                Kind = root["kind"]!.GetValue<string>(),
                Controls = root["controls"]!.AsArray().Select(c => c!.GetValue<string>()).ToArray(),
                Subject = new Subject(
                    subject["type"]!.GetValue<string>(),
                    subject["id"]!.GetValue<string>(),
                    subject["displayName"]!.GetValue<string>(),
                    subject["aiSystems"]?.AsArray().Select(s => s!.GetValue<string>()).ToArray()),
                Source = new EvidenceSource(
                    source["system"]!.GetValue<string>(),
                    source["instance"]!.GetValue<string>(),
                    source["locator"]!.GetValue<string>(),
                    source["collector"]!.GetValue<string>(),
                    source["collectorVersion"]!.GetValue<string>()),
                RunId = root["runId"]!.GetValue<string>(),
                JobId = root["jobId"]!.GetValue<string>(),
                ObservedAt = ParseTime(root["observedAt"]),
                Period = period,
                EvidenceDate = root["evidenceDate"] is { } d ? ParseTime(d) : null,
                Summary = root["summary"]!.GetValue<string>(),
                Facts = TakeFacts(root, ownsRoot),
                RawSha256 = root["raw"]?["sha256"]?.GetValue<string>(),
                RawMediaType = root["raw"]?["mediaType"]?.GetValue<string>(),
                Sha256 = root["sha256"]?.GetValue<string>() ?? "",
            };
        }
        catch (Exception ex) when (ex is NullReferenceException or InvalidOperationException or FormatException or KeyNotFoundException)
        {
            throw new FormatException($"An evidence item is missing a required field or has a field of the wrong type ({ex.Message}).", ex);
        }
    }

    private static JsonObject TakeFacts(JsonObject root, bool ownsRoot)
    {
        if (root["facts"] is not JsonObject facts)
        {
            return [];
        }

        if (!ownsRoot)
        {
            return facts.DeepClone().AsObject();
        }

        root.Remove("facts");
        return facts;
    }

    private static DateTimeOffset ParseTime(JsonNode? node) =>
        DateTimeOffset.Parse(node!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal).ToUniversalTime();
}
