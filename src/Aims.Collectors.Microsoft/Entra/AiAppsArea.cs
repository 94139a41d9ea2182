using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// <c>entra.ai-apps</c>: each AI app's service principal and, when registered in this tenant, its app registration,
/// with the owners of both (A.4.2).
/// </summary>
internal sealed class AiAppsArea : IEntraArea
{
    public string Kind => "entra.ai-apps";

    public bool IsConfigured(EntraIdSettings settings) => settings.Apps.Count > 0 || settings.AppTags.Count > 0;

    public Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default) =>
        AiAppResolver.ForEachAppAsync(scope, Kind, app => CollectAppAsync(scope, app, cancellationToken), cancellationToken);

    private async Task CollectAppAsync(EntraJobScope scope, AiApp app, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        var spOwners = await GraphPager.ListAsync<DirectoryObject, DirectoryObjectCollectionResponse>(
            client,
            GraphOperations.ServicePrincipalOwners,
            () => client.ServicePrincipals[app.Id].Owners.GetAsync(
                rc =>
                {
                    rc.QueryParameters.Select = EntraFacts.PrincipalSelect;
                    rc.QueryParameters.Top = scope.Settings.PageSize;
                },
                cancellationToken),
            cancellationToken).ConfigureAwait(false);

        var application = await AiAppResolver.RegistrationAsync(scope, app.AppId, cancellationToken).ConfigureAwait(false);
        var appOwners = application?.Id is { } objectId
            ? await GraphPager.ListAsync<DirectoryObject, DirectoryObjectCollectionResponse>(
                client,
                GraphOperations.ApplicationOwners,
                () => client.Applications[objectId].Owners.GetAsync(
                    rc =>
                    {
                        rc.QueryParameters.Select = EntraFacts.PrincipalSelect;
                        rc.QueryParameters.Top = scope.Settings.PageSize;
                    },
                    cancellationToken),
                cancellationToken).ConfigureAwait(false)
            : [];

        var owners = spOwners.Select(o => (Owner: o, Of: "servicePrincipal"))
            .Concat(appOwners.Select(o => (Owner: o, Of: "application")))
            .GroupBy(o => o.Owner.Id ?? "", StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var entry = EntraFacts.Principal(g.First().Owner);
                entry["ownerOf"] = Facts.SetOrEmpty(g.Select(o => o.Of));
                return (JsonNode)entry;
            })
            .ToList();

        var facts = Facts.Object(
            ("servicePrincipal", EntraFacts.ServicePrincipalFacts(app.ServicePrincipal)),
            ("registeredInTenant", application is not null),
            ("application", application is null ? null : Facts.Object(
                ("id", application.Id),
                ("appId", application.AppId),
                ("displayName", application.DisplayName),
                ("signInAudience", application.SignInAudience),
                ("createdDateTime", Facts.Time(application.CreatedDateTime)),
                ("publisherDomain", application.PublisherDomain),
                ("tags", Facts.Set(application.Tags)),
                ("notes", application.Notes))),
            ("owners", Facts.Array(owners)),
            ("ownerCount", owners.Count),
            ("discoveredBy", Facts.SetOrEmpty(app.DiscoveredBy)));
        var raw = new JsonObject
        {
            ["servicePrincipal"] = await GraphJson.ToNodeAsync(app.ServicePrincipal, cancellationToken).ConfigureAwait(false),
            ["servicePrincipalOwners"] = await GraphJson.ToArrayAsync(spOwners, cancellationToken).ConfigureAwait(false),
            ["application"] = await GraphJson.ToNodeAsync(application, cancellationToken).ConfigureAwait(false),
            ["applicationOwners"] = await GraphJson.ToArrayAsync(appOwners, cancellationToken).ConfigureAwait(false),
        };
        await scope.EmitAsync(
            Kind,
            app.Subject,
            $"/servicePrincipals/{app.Id}",
            $"AI app '{app.DisplayName}' ({app.AppId}): {owners.Count} owners, {(application is null ? "registered in another tenant" : "registered in this tenant")}.",
            facts,
            raw,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
