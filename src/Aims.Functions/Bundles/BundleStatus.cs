using System.Text.Json.Nodes;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Functions.Bundles;

/// <summary>
/// A requested bundle's record, kept as the report <c>bundles/{id}.json</c> next to the zip (<c>bundles/{id}.zip</c>):
/// the request, who asked, and where the build stands (<c>queued</c>, <c>ready</c> with counts, or <c>failed</c> with
/// the reason). The build message carries only the id; everything else is read from here.
/// </summary>
public static class BundleStatus
{
    public const string Queued = "queued";
    public const string Ready = "ready";
    public const string Failed = "failed";

    public static JsonObject Create(string id, BundleApiRequest request, BundleDownload caller, DateTimeOffset at) => new()
    {
        ["type"] = "bundle",
        ["bundleId"] = id,
        ["status"] = Queued,
        ["requestedAt"] = CanonicalJson.Timestamp(at),
        ["from"] = CanonicalJson.Timestamp(request.From),
        ["to"] = CanonicalJson.Timestamp(request.To),
        ["controls"] = new JsonArray(request.Controls.Select(c => (JsonNode)c).ToArray()),
        ["system"] = request.AiSystem,
        ["requestedBy"] = caller.ToJson()["principal"]!.DeepClone(),
        ["functionKeyFingerprint"] = caller.KeyFingerprint,
    };

    public static async Task<JsonObject?> ReadAsync(IEvidenceStore store, string id, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReportAsync(BundleId.RecordReport(id), cancellationToken).ConfigureAwait(false);
        return stream is null ? null : await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject;
    }

    public static async Task WriteAsync(IEvidenceStore store, string id, JsonObject record, CancellationToken cancellationToken)
    {
        using var content = new MemoryStream(CanonicalJson.ToBytes(record), writable: false);
        await store.PutReportAsync(BundleId.RecordReport(id), content, cancellationToken).ConfigureAwait(false);
    }

    public static string? StatusOf(JsonObject record) => record["status"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>Reads the request back out of a record.</summary>
    public static BundleApiRequest RequestOf(JsonObject record) => new(
        DateTimeOffset.Parse(record["from"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
        DateTimeOffset.Parse(record["to"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture),
        (record["controls"] as JsonArray ?? []).Select(c => c!.GetValue<string>()).ToList(),
        record["system"] is JsonValue s && s.TryGetValue<string>(out var system) ? system : null);
}
