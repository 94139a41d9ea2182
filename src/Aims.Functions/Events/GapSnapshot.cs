using System.Text.Json.Nodes;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Functions.Events;

/// <summary>One thing whose standing changed between two analyses: a control, a requirement or an AI system.</summary>
public sealed record GapChange(string Scope, string Id, string? From, string To);

/// <summary>
/// The status of every control, requirement and AI system after an analysis, kept in the store as the report
/// <c>state/gap-status.json</c>, so the next analysis can say what changed from what to what.
/// </summary>
public sealed class GapSnapshot(IReadOnlyDictionary<string, string> statuses)
{
    public const string ReportName = "state/gap-status.json";

    public IReadOnlyDictionary<string, string> Statuses { get; } = statuses;

    public static GapSnapshot Of(GapReport report)
    {
        var statuses = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var control in report.Controls)
        {
            statuses[$"control/{control.Control.Id}"] = control.Status.ToName();
            foreach (var requirement in control.Requirements)
            {
                statuses[$"requirement/{requirement.Requirement.Id}"] = requirement.Status.ToName();
            }
        }

        foreach (var system in report.AiSystems)
        {
            statuses[$"system/{system.System.Id}"] = system.Status.ToName();
        }

        return new GapSnapshot(statuses);
    }

    /// <summary>What changed since <paramref name="previous"/> (null: the first analysis, nothing to compare with, so no change).</summary>
    public IReadOnlyList<GapChange> ChangesSince(GapSnapshot? previous)
    {
        if (previous is null)
        {
            return [];
        }

        var changes = new List<GapChange>();
        foreach (var (key, status) in Statuses)
        {
            var was = previous.Statuses.GetValueOrDefault(key);
            if (was != status)
            {
                var slash = key.IndexOf('/', StringComparison.Ordinal);
                changes.Add(new GapChange(key[..slash], key[(slash + 1)..], was, status));
            }
        }

        return changes;
    }

    public static async Task<GapSnapshot?> ReadAsync(IEvidenceStore store, CancellationToken cancellationToken)
    {
        await using var stream = await store.OpenReportAsync(ReportName, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        try
        {
            var node = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            return node is JsonObject o
                ? new GapSnapshot(o.Where(p => p.Value is JsonValue).ToDictionary(p => p.Key, p => p.Value!.GetValue<string>(), StringComparer.Ordinal))
                : null;
        }
        catch (Exception ex) when (ex is System.Text.Json.JsonException or InvalidOperationException or FormatException)
        {
            // A damaged snapshot only costs one round of change events.
            return null;
        }
    }

    public async Task WriteAsync(IEvidenceStore store, CancellationToken cancellationToken)
    {
        var json = new JsonObject();
        foreach (var (key, status) in Statuses)
        {
            json[key] = status;
        }

        using var content = new MemoryStream(CanonicalJson.ToBytes(json), writable: false);
        await store.PutReportAsync(ReportName, content, cancellationToken).ConfigureAwait(false);
    }
}
