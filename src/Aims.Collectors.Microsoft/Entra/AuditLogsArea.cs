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

    public async Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        var apps = await AiAppResolver.ResolveAsync(scope, Kind, cancellationToken).ConfigureAwait(false);
        foreach (var app in apps)
        {
            try
            {
                await CollectAppAsync(scope, app, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphCallException ex)
            {
                await scope.ReportAsync(app.Subject, Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CollectAppAsync(EntraJobScope scope, AiApp app, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        var period = scope.Job.Period;
        var targets = new List<string> { app.Id };
        try
        {
            var registration = await GraphFailure.CallAsync(
                GraphOperations.ApplicationByAppId,
                () => client.ApplicationsWithAppId(app.AppId).GetAsync(rc => rc.QueryParameters.Select = ["id"], cancellationToken),
                cancellationToken).ConfigureAwait(false);
            if (registration?.Id is { } objectId)
            {
                targets.Add(objectId);
            }
        }
        catch (GraphCallException ex) when (ex.IsNotFound)
        {
            // Registered in another tenant: its registration's audit entries are not in this directory.
        }

        // Graph filters activityDateTime with ge/le only; the period's end is exclusive, so entries at the end are dropped here.
        var entries = new SortedDictionary<string, DirectoryAudit>(StringComparer.Ordinal);
        var filters = new List<string>();
        foreach (var target in targets)
        {
            var filter = $"activityDateTime ge {EntraFacts.Timestamp(period.From)} and activityDateTime le {EntraFacts.Timestamp(period.To)} and targetResources/any(t:t/id eq {EntraFacts.Literal(target)})";
            filters.Add(filter);
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
                entry =>
                {
                    if (entry.Id is not null && entry.ActivityDateTime is { } at && at >= period.From && at < period.To)
                    {
                        entries[entry.Id] = entry;
                    }

                    return Task.CompletedTask;
                },
                cancellationToken).ConfigureAwait(false);
        }

        var ordered = entries.Values.OrderBy(e => e.ActivityDateTime).ThenBy(e => e.Id, StringComparer.Ordinal).ToList();
        var entryFacts = ordered.Select(e => (JsonNode)Facts.Object(
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
                ("modifiedProperties", Facts.Set(t.ModifiedProperties?.Select(p => p.DisplayName))))))))).ToList();
        var facts = Facts.Object(
            ("appId", app.AppId),
            ("targetIds", Facts.SetOrEmpty(targets)),
            ("entryCount", entryFacts.Count),
            ("byActivity", Facts.Counts(ordered.Select(e => e.ActivityDisplayName))),
            ("entries", Facts.Array(entryFacts)));
        var raw = new JsonObject
        {
            ["filters"] = Facts.Array(filters.Select(f => (JsonNode)JsonValue.Create(f))),
            ["value"] = await GraphJson.ToArrayAsync(ordered, cancellationToken).ConfigureAwait(false),
        };
        await scope.EmitAsync(
            Kind,
            app.Subject,
            $"/auditLogs/directoryAudits?$filter={filters[0]}",
            $"AI app '{app.DisplayName}': {entryFacts.Count} directory audit entries in the period.",
            facts,
            raw,
            period,
            cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject? Initiator(AuditActivityInitiator? initiator) => initiator switch
    {
        { User.Id: not null } => Facts.Object(("type", "user"), ("id", initiator.User.Id), ("userPrincipalName", initiator.User.UserPrincipalName), ("displayName", initiator.User.DisplayName)),
        { App: { } app } when app.AppId is not null || app.ServicePrincipalId is not null =>
            Facts.Object(("type", "app"), ("appId", app.AppId), ("servicePrincipalId", app.ServicePrincipalId), ("displayName", app.DisplayName)),
        _ => null,
    };
}
