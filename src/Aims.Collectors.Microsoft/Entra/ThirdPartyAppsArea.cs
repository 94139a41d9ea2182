using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Aims.Evidence.Items;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// <c>entra.third-party-apps</c>: the service principals of apps owned by another tenant, each with the delegated
/// permission grants (<c>oauth2PermissionGrants</c>) consented to it (A.10.3, A.4.4). Microsoft's own apps are
/// counted, and listed only when someone consented to them. One population item for the tenant.
/// </summary>
internal sealed class ThirdPartyAppsArea : IEntraArea
{
    /// <summary>Tenants Microsoft publishes its first-party apps from.</summary>
    private static readonly HashSet<string> MicrosoftTenants = new(StringComparer.OrdinalIgnoreCase)
    {
        "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
        "72f988bf-86f1-41af-91ab-2d7cd011db47",
    };

    public string Kind => "entra.third-party-apps";

    public bool IsConfigured(EntraIdSettings settings) => true;

    public async Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        var subject = EntraSubjects.Tenant(scope.Settings);
        try
        {
            await CollectTenantAsync(scope, subject, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex)
        {
            await scope.ReportAsync(subject, Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CollectTenantAsync(EntraJobScope scope, Subject subject, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        var tenantId = scope.Settings.TenantId ?? await ReadTenantIdAsync(scope, cancellationToken).ConfigureAwait(false);
        var aiTags = new HashSet<string>(scope.Settings.AppTags, StringComparer.OrdinalIgnoreCase);
        var aiIds = new HashSet<string>(scope.Settings.Apps, StringComparer.OrdinalIgnoreCase);

        // Every service principal is streamed once; only third-party ones are kept, plus a name per id for grant resources.
        var names = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var thirdParty = new Dictionary<string, ServicePrincipal>(StringComparer.OrdinalIgnoreCase);
        var total = 0;
        await GraphPager.ForEachAsync<ServicePrincipal, ServicePrincipalCollectionResponse>(
            client,
            GraphOperations.ServicePrincipals,
            () => client.ServicePrincipals.GetAsync(
                rc =>
                {
                    rc.QueryParameters.Select = EntraFacts.ServicePrincipalSelect;
                    rc.QueryParameters.Top = scope.Settings.PageSize;
                },
                cancellationToken),
            sp =>
            {
                total++;
                if (sp.Id is null)
                {
                    return Task.CompletedTask;
                }

                names[sp.Id] = sp.DisplayName ?? sp.AppId ?? sp.Id;
                if (sp.AppOwnerOrganizationId is { } owner && !string.Equals(owner.ToString("D"), tenantId, StringComparison.OrdinalIgnoreCase)
                    && !string.Equals(sp.ServicePrincipalType, "ManagedIdentity", StringComparison.OrdinalIgnoreCase))
                {
                    thirdParty[sp.Id] = sp;
                }

                return Task.CompletedTask;
            },
            cancellationToken).ConfigureAwait(false);

        var grants = new Dictionary<string, List<OAuth2PermissionGrant>>(StringComparer.OrdinalIgnoreCase);
        var partial = Facts.Object(("tenantId", tenantId), ("servicePrincipalCount", total), ("thirdPartyCount", thirdParty.Count));
        try
        {
            await GraphPager.ForEachAsync<OAuth2PermissionGrant, OAuth2PermissionGrantCollectionResponse>(
                client,
                GraphOperations.PermissionGrants,
                () => client.Oauth2PermissionGrants.GetAsync(rc => rc.QueryParameters.Top = scope.Settings.PageSize, cancellationToken),
                grant =>
                {
                    if (grant.ClientId is { } clientId && thirdParty.ContainsKey(clientId))
                    {
                        if (!grants.TryGetValue(clientId, out var list))
                        {
                            grants[clientId] = list = [];
                        }

                        list.Add(grant);
                    }

                    return Task.CompletedTask;
                },
                cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex)
        {
            // Without the grants the population is incomplete: an error (with what was seen) rather than a partial item.
            await scope.ReportAsync(subject, Kind, ex, partial, cancellationToken).ConfigureAwait(false);
            return;
        }

        var listed = new List<JsonNode>();
        var microsoftWithoutGrants = 0;
        var rawPrincipals = new List<ServicePrincipal>();
        foreach (var sp in thirdParty.Values.OrderBy(s => s.AppId, StringComparer.Ordinal))
        {
            var spGrants = grants.GetValueOrDefault(sp.Id!) ?? [];
            var isMicrosoft = MicrosoftTenants.Contains(sp.AppOwnerOrganizationId?.ToString("D") ?? "");
            if (isMicrosoft && spGrants.Count == 0)
            {
                microsoftWithoutGrants++;
                continue;
            }

            rawPrincipals.Add(sp);
            var entry = EntraFacts.ServicePrincipalFacts(sp);
            entry["microsoftFirstParty"] = isMicrosoft;
            // An AI app by tag or configuration: a third-party AI app consented here is what A.10.3 asks about.
            entry["aiApp"] = (sp.Tags?.Any(aiTags.Contains) ?? false) || aiIds.Contains(sp.AppId ?? "") || aiIds.Contains(sp.Id!);
            entry["delegatedGrants"] = GrantFacts(spGrants, names);
            listed.Add(entry);
        }

        var withGrants = listed.Count(e => e["delegatedGrants"]?["grantCount"]?.GetValue<int>() > 0);
        var facts = Facts.Object(
            ("tenantId", tenantId),
            ("servicePrincipalCount", total),
            ("thirdPartyCount", thirdParty.Count),
            ("thirdPartyWithDelegatedGrants", withGrants),
            ("thirdPartyAiApps", listed.Count(e => e["aiApp"]?.GetValue<bool>() == true)),
            ("microsoftFirstPartyWithoutGrants", microsoftWithoutGrants),
            ("servicePrincipals", Facts.Array(listed)));
        var raw = new JsonObject
        {
            ["servicePrincipals"] = await GraphJson.ToArrayAsync(rawPrincipals, cancellationToken).ConfigureAwait(false),
            ["oauth2PermissionGrants"] = await GraphJson.ToArrayAsync(grants.Values.SelectMany(g => g).OrderBy(g => g.Id, StringComparer.Ordinal), cancellationToken).ConfigureAwait(false),
        };
        await scope.EmitAsync(
            Kind,
            subject,
            "/servicePrincipals",
            $"{thirdParty.Count} third-party service principals of {total}; {withGrants} with delegated consent grants.",
            facts,
            raw,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static JsonObject GrantFacts(List<OAuth2PermissionGrant> grants, Dictionary<string, string> names)
    {
        static IEnumerable<string> Scopes(OAuth2PermissionGrant g) => (g.Scope ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var admin = grants.Where(g => string.Equals(g.ConsentType, "AllPrincipals", StringComparison.OrdinalIgnoreCase)).ToList();
        var user = grants.Where(g => !string.Equals(g.ConsentType, "AllPrincipals", StringComparison.OrdinalIgnoreCase)).ToList();
        return Facts.Object(
            ("grantCount", grants.Count),
            ("adminConsentScopes", Facts.SetOrEmpty(admin.SelectMany(Scopes))),
            ("userConsentCount", user.Select(g => g.PrincipalId).Distinct(StringComparer.OrdinalIgnoreCase).Count()),
            ("userConsentScopes", Facts.SetOrEmpty(user.SelectMany(Scopes))),
            ("resources", Facts.SetOrEmpty(grants.Select(g => g.ResourceId is { } r ? names.GetValueOrDefault(r, r) : null))));
    }

    private static async Task<string> ReadTenantIdAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        var response = await GraphFailure.CallAsync(
            GraphOperations.Organization,
            () => scope.Client.Organization.GetAsync(rc => rc.QueryParameters.Select = ["id"], cancellationToken),
            cancellationToken).ConfigureAwait(false);
        return response?.Value?.FirstOrDefault()?.Id
            ?? throw new GraphCallException(GraphOperations.Organization, null, $"{GraphOperations.Organization} returned no organization; set {scope.Settings.Credential.SettingPrefix}:TenantId.");
    }
}
