using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Reporting.IO;

namespace Aims.Reporting.Digest;

/// <summary>
/// The last few digests of one scope (the whole organization, or one AI system), kept as a small JSON report in the
/// store's state area (<c>digest-history/{scope}.json</c>) so the next digest can say what changed and draw a trend.
/// It is a convenience, never evidence: a missing or unreadable history only means the digest shows no changes.
/// </summary>
public sealed class DigestHistory
{
    /// <summary>Runs kept: enough for a quarter of weekly digests.</summary>
    public const int MaxRuns = 12;

    private const int SchemaVersion = 1;
    private const int FingerprintParallelism = 8;

    private DigestHistory(IReadOnlyList<DigestSnapshot> runs) => Runs = runs;

    /// <summary>Oldest first.</summary>
    public IReadOnlyList<DigestSnapshot> Runs { get; }

    public static DigestHistory Empty { get; } = new([]);

    /// <summary>The report name the history of a scope is kept under.</summary>
    public static string ReportName(string? aiSystem) =>
        aiSystem is null ? "digest-history/organization.json" : $"digest-history/system-{Slug(aiSystem)}.json";

    /// <summary>
    /// Reads the history of the report's scope, adds this analysis, stores it, and returns the view of the report with
    /// its changes since the previous digest and its trend.
    /// </summary>
    public static async Task<DigestView> AdvanceAsync(IEvidenceStore store, GapReport report, DateTimeOffset recordedAt, CancellationToken cancellationToken = default)
    {
        var name = ReportName(report.AiSystemFilter);
        var history = await ReadAsync(store, name, cancellationToken).ConfigureAwait(false);
        var snapshot = await CaptureAsync(store, report, recordedAt, cancellationToken).ConfigureAwait(false);
        var updated = history.Append(snapshot);
        using var buffer = new MemoryStream(updated.ToJson());
        await store.PutReportAsync(name, buffer, cancellationToken).ConfigureAwait(false);
        return new DigestView(report)
        {
            Changes = history.Runs.Count > 0 ? DigestChanges.Between(history.Runs[^1], snapshot) : null,
            Trend = updated.Runs,
        };
    }

    public static async Task<DigestHistory> ReadAsync(IEvidenceStore store, string name, CancellationToken cancellationToken = default)
    {
        var stream = await store.OpenReportAsync(name, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return Empty;
        }

        await using (stream.ConfigureAwait(false))
        {
            try
            {
                var node = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                return Parse(node);
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                // A damaged history is not worth failing a digest for: start a new one.
                return Empty;
            }
        }
    }

    /// <summary>This analysis as a snapshot, with a fingerprint of each subject's evidence read from the store.</summary>
    public static async Task<DigestSnapshot> CaptureAsync(IEvidenceStore store, GapReport report, DateTimeOffset recordedAt, CancellationToken cancellationToken = default)
    {
        var itemIds = report.Requirements.SelectMany(r => r.Subjects).Select(s => s.ItemId).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var fingerprints = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(itemIds, new ParallelOptions { MaxDegreeOfParallelism = FingerprintParallelism, CancellationToken = cancellationToken }, async (id, ct) =>
        {
            try
            {
                if (await store.GetItemAsync(id, ct).ConfigureAwait(false) is { } item)
                {
                    fingerprints[id] = item.RawSha256 ?? CanonicalJson.Sha256Hex(CanonicalJson.ToBytes(item.Facts));
                }
            }
            catch (FormatException)
            {
                // A damaged item is for 'aims verify' to report; here it only has no fingerprint.
            }
        }).ConfigureAwait(false);

        var readiness = DigestPlan.Readiness(report);
        return new DigestSnapshot(
            report.AsOf,
            recordedAt,
            report.ControlCounts,
            readiness.Ready,
            readiness.InScope,
            readiness.SourceNotConfigured,
            report.Requirements
                .Select(r => new RequirementSnapshot(r.Requirement.Id, r.Requirement.Owner, r.Status, r.Subjects
                    .Select(s => new SubjectSnapshot(s.SubjectKey, s.DisplayName, s.Status, s.ItemId, s.ItemId is { } id ? fingerprints.GetValueOrDefault(id) : null, s.FreshUntil))
                    .ToList()))
                .ToList());
    }

    public DigestHistory Append(DigestSnapshot snapshot) => new(Runs.Append(snapshot).TakeLast(MaxRuns).ToList());

    public byte[] ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("schemaVersion", SchemaVersion);
            json.WriteStartArray("runs");
            foreach (var run in Runs)
            {
                json.WriteStartObject();
                json.WriteString("asOf", Timestamps.Iso(run.AsOf));
                json.WriteString("recordedAt", Timestamps.Iso(run.RecordedAt));
                json.WriteStartObject("controlCounts");
                foreach (var (status, count) in run.ControlCounts)
                {
                    json.WriteNumber(status.ToName(), count);
                }

                json.WriteEndObject();
                json.WriteNumber("ready", run.Ready);
                json.WriteNumber("inScope", run.InScope);
                json.WriteNumber("sourceNotConfigured", run.SourceNotConfigured);
                json.WriteStartArray("requirements");
                foreach (var r in run.Requirements)
                {
                    json.WriteStartObject();
                    json.WriteString("id", r.Id);
                    json.WriteString("owner", r.Owner);
                    json.WriteString("status", r.Status.ToName());
                    json.WriteStartArray("subjects");
                    foreach (var s in r.Subjects)
                    {
                        json.WriteStartObject();
                        json.WriteString("key", s.Key);
                        json.WriteString("name", s.Name);
                        json.WriteString("status", s.Status.ToName());
                        WriteOptional(json, "itemId", s.ItemId);
                        WriteOptional(json, "fingerprint", s.Fingerprint);
                        WriteOptional(json, "freshUntil", s.FreshUntil is { } f ? Timestamps.Iso(f) : null);
                        json.WriteEndObject();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static DigestHistory Parse(JsonNode? node)
    {
        if (node?["schemaVersion"]?.GetValue<int>() != SchemaVersion || node["runs"] is not JsonArray runs)
        {
            return Empty;
        }

        var snapshots = runs.OfType<JsonObject>().Select(run => new DigestSnapshot(
            Time(run["asOf"])!.Value,
            Time(run["recordedAt"])!.Value,
            (run["controlCounts"] as JsonObject ?? []).ToDictionary(p => GapStatusNames.Parse(p.Key), p => p.Value!.GetValue<int>()),
            run["ready"]!.GetValue<int>(),
            run["inScope"]!.GetValue<int>(),
            run["sourceNotConfigured"]!.GetValue<int>(),
            (run["requirements"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new RequirementSnapshot(
                r["id"]!.GetValue<string>(),
                r["owner"]!.GetValue<string>(),
                GapStatusNames.Parse(r["status"]!.GetValue<string>()),
                (r["subjects"] as JsonArray ?? []).OfType<JsonObject>().Select(s => new SubjectSnapshot(
                    s["key"]!.GetValue<string>(),
                    s["name"]!.GetValue<string>(),
                    GapStatusNames.Parse(s["status"]!.GetValue<string>()),
                    s["itemId"]?.GetValue<string>(),
                    s["fingerprint"]?.GetValue<string>(),
                    Time(s["freshUntil"]))).ToList())).ToList()));
        return new DigestHistory(snapshots.TakeLast(MaxRuns).ToList());
    }

    private static DateTimeOffset? Time(JsonNode? node) => node is null
        ? null
        : DateTimeOffset.Parse(node.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private static string Slug(string value) =>
        new(value.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '-').ToArray());
}
