using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// <c>entra.audit-logs</c>: directory audit entries over the job's period whose target is an AI app's service
/// principal or app registration (A.6.2.8). The time range and the target go into <c>$filter</c>, so only the
/// matching entries cross the wire. One item per AI app.
/// </summary>
internal sealed class AuditLogsArea : IEntraArea
{
    public string Kind => "entra.audit-logs";

    public bool IsConfigured(EntraIdSettings settings) => settings.Apps.Count > 0 || settings.AppTags.Count > 0;

    public Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default) =>
        AiAppResolver.ForEachAppAsync(scope, Kind, app => CollectAppAsync(scope, app, cancellationToken), cancellationToken);

    private async Task CollectAppAsync(EntraJobScope scope, AiApp app, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        var period = scope.Job.Period;
        var targets = new List<string> { app.Id };
        if ((await AiAppResolver.RegistrationAsync(scope, app.AppId, cancellationToken).ConfigureAwait(false))?.Id is { } objectId)
        {
            // Registered here; one registered in another tenant has no audit entries in this directory.
            targets.Add(objectId);
        }

        // Graph filters activityDateTime with ge/le only; the period's end is exclusive, so entries at the end are dropped here.
        var takenAt = scope.Time.GetUtcNow();
        var key = EntraState.Key("audit-logs", app.Id);
        var kept = await KeptAsync(scope, key, app, targets, cancellationToken).ConfigureAwait(false);
        var entries = new Dictionary<string, KeptEntry>(StringComparer.Ordinal);
        foreach (var entry in kept?.Entries.Where(e => e.At >= period.From && e.At < period.To) ?? [])
        {
            entries[entry.Id] = entry;
        }

        // Entries are immutable: only what Graph may have ingested since the kept read's coverage is asked for again.
        var from = kept is null ? period.From : Max(period.From, kept.CoveredUntil);
        var filters = targets.Select(t => Filter(period.From, period.To, t)).ToList();
        var queried = new List<string>();
        if (kept is null || from < period.To)
        {
            foreach (var target in targets)
            {
                var filter = Filter(from, period.To, target);
                queried.Add(filter);
                await GraphPager.ForEachAsync<DirectoryAudit, DirectoryAuditCollectionResponse>(
                    client,
                    GraphOperations.DirectoryAudits,
                    () => client.AuditLogs.DirectoryAudits.GetAsync(
                        rc =>
                        {
                            rc.QueryParameters.Filter = filter;
                            rc.QueryParameters.Top = scope.Settings.PageSize;
                        },
                        cancellationToken),
                    async entry =>
                    {
                        if (entry.Id is not null && entry.ActivityDateTime is { } at && at >= period.From && at < period.To)
                        {
                            entries[entry.Id] = new KeptEntry(entry.Id, at, EntryFacts(entry), await GraphJson.ToNodeAsync(entry, cancellationToken).ConfigureAwait(false) ?? new JsonObject());
                        }
                    },
                    cancellationToken).ConfigureAwait(false);
            }
        }

        var ordered = entries.Values.OrderBy(e => e.At).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var facts = Facts.Object(
            ("appId", app.AppId),
            ("targetIds", Facts.SetOrEmpty(targets)),
            ("entryCount", ordered.Count),
            ("byActivity", Facts.Counts(ordered.Select(e => (string?)e.Facts["activityDisplayName"]))),
            ("entries", Facts.Array(ordered.Select(e => e.Facts.DeepClone()))),
            ("readMode", kept is null ? "full" : "incremental"));
        var raw = new JsonObject
        {
            ["filters"] = Facts.Array(filters.Select(f => (JsonNode)JsonValue.Create(f))),
            ["queried"] = Facts.Array(queried.Select(f => (JsonNode)JsonValue.Create(f))),
            ["value"] = Facts.Array(ordered.Select(e => e.Raw.DeepClone())),
        };
        await scope.EmitAsync(
            Kind,
            app.Subject,
            $"/auditLogs/directoryAudits?$filter={filters[0]}",
            $"AI app '{app.DisplayName}': {ordered.Count} directory audit entries in the period.",
            facts,
            raw,
            period,
            cancellationToken).ConfigureAwait(false);

        var coveredUntil = Max(period.From, Min(period.To, takenAt - IngestionMargin));
        await EntraState.SaveAsync(
            scope,
            Kind,
            key,
            Facts.Object(
                ("servicePrincipalId", app.Id),
                ("appId", app.AppId),
                ("targetIds", Facts.SetOrEmpty(targets)),
                ("periodFrom", EntraState.Timestamp(period.From)),
                ("coveredUntil", EntraState.Timestamp(coveredUntil)),
                ("fullReadAt", EntraState.Timestamp(kept?.FullReadAt ?? takenAt)),
                ("entries", Facts.Array(ordered.Select(e => (JsonNode)Facts.Object(
                    ("id", e.Id),
                    ("at", EntraState.Timestamp(e.At)),
                    ("facts", e.Facts.DeepClone()),
                    ("raw", e.Raw.DeepClone())))))),
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// How late Graph may list an entry after its <c>activityDateTime</c>. Entries older than the last read minus this
    /// margin are taken as all listed by then; a re-run asks again from there and drops the duplicates by id.
    /// </summary>
    public static readonly TimeSpan IngestionMargin = TimeSpan.FromHours(24);

    private static string Filter(DateTimeOffset from, DateTimeOffset to, string target) =>
        $"activityDateTime ge {EntraFacts.Timestamp(from)} and activityDateTime le {EntraFacts.Timestamp(to)} and targetResources/any(t:t/id eq {EntraFacts.Literal(target)})";

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    /// <summary>One audit entry as the item holds it: its facts and Graph's JSON.</summary>
    private sealed record KeptEntry(string Id, DateTimeOffset At, JsonObject Facts, JsonNode Raw);

    /// <summary>What an earlier run kept for one app: entries of <c>[periodFrom, coveredUntil)</c> are all there.</summary>
    private sealed record Kept(List<KeptEntry> Entries, DateTimeOffset PeriodFrom, DateTimeOffset CoveredUntil, DateTimeOffset FullReadAt);

    /// <summary>
    /// The kept entries when they can stand in for a read from the period's start: same app, same target objects,
    /// a period that starts no earlier than the kept one, and a full read within <c>FullReadEveryDays</c>.
    /// </summary>
    private async Task<Kept?> KeptAsync(EntraJobScope scope, string? key, AiApp app, List<string> targets, CancellationToken cancellationToken = default)
    {
        var (state, _) = await EntraState.LoadAsync(scope, Kind, key, cancellationToken).ConfigureAwait(false);
        if (state is null
            || !string.Equals(EntraState.Text(state, "servicePrincipalId"), app.Id, StringComparison.OrdinalIgnoreCase)
            || state["targetIds"] is not JsonArray keptTargets
            || !keptTargets.Select(t => t is JsonValue v && v.TryGetValue<string>(out var id) ? id : "").Order(StringComparer.Ordinal).SequenceEqual(targets.Order(StringComparer.Ordinal), StringComparer.OrdinalIgnoreCase)
            || EntraState.Time(state, "periodFrom") is not { } periodFrom
            || EntraState.Time(state, "coveredUntil") is not { } coveredUntil
            || EntraState.Time(state, "fullReadAt") is not { } fullReadAt
            || state["entries"] is not JsonArray entries)
        {
            return null;
        }

        var age = scope.Time.GetUtcNow() - fullReadAt;
        if (periodFrom > scope.Job.Period.From || age > TimeSpan.FromDays(scope.Settings.FullReadEveryDays) || age < TimeSpan.Zero)
        {
            return null;
        }

        var result = new List<KeptEntry>(entries.Count);
        foreach (var node in entries)
        {
            if (node is not JsonObject entry
                || EntraState.Text(entry, "id") is not { Length: > 0 } id
                || EntraState.Time(entry, "at") is not { } at
                || entry["facts"] is not JsonObject facts
                || entry["raw"] is not { } raw)
            {
                return null;
            }

            result.Add(new KeptEntry(id, at, (JsonObject)facts.DeepClone(), raw.DeepClone()));
        }

        return new Kept(result, periodFrom, coveredUntil, fullReadAt);
    }

    private static JsonObject EntryFacts(DirectoryAudit e) => Facts.Object(
        ("id", e.Id),
        ("activityDateTime", Facts.Time(e.ActivityDateTime)),
        ("activityDisplayName", e.ActivityDisplayName),
        ("category", e.Category),
        ("operationType", e.OperationType),
        ("result", EntraFacts.Wire(e.Result)),
        ("loggedByService", e.LoggedByService),
        ("initiatedBy", Initiator(e.InitiatedBy)),
        ("targets", Facts.Array((e.TargetResources ?? []).Select(t => (JsonNode)Facts.Object(
            ("id", t.Id),
            ("type", t.Type),
            ("displayName", t.DisplayName),
            ("modifiedProperties", Facts.Set(t.ModifiedProperties?.Select(p => p.DisplayName))))))));

    private static JsonObject? Initiator(AuditActivityInitiator? initiator) => initiator switch
    {
        { User.Id: not null } => Facts.Object(("type", "user"), ("id", initiator.User.Id), ("userPrincipalName", initiator.User.UserPrincipalName), ("displayName", initiator.User.DisplayName)),
        { App: { } app } when app.AppId is not null || app.ServicePrincipalId is not null =>
            Facts.Object(("type", "app"), ("appId", app.AppId), ("servicePrincipalId", app.ServicePrincipalId), ("displayName", app.DisplayName)),
        _ => null,
    };
}
