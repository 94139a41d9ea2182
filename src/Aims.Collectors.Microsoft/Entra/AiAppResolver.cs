using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// Finds the service principals that are AI systems: those tagged with a configured tag, and those configured by
/// app id or service principal id. A lookup that fails is reported for the kind being collected; the rest go on.
/// </summary>
internal static class AiAppResolver
{
    public static async Task<IReadOnlyList<AiApp>> ResolveAsync(EntraJobScope scope, string kind, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        var found = new Dictionary<string, (ServicePrincipal Sp, SortedSet<string> How)>(StringComparer.OrdinalIgnoreCase);

        void Add(ServicePrincipal sp, string how)
        {
            if (sp.Id is null)
            {
                return;
            }

            if (!found.TryGetValue(sp.Id, out var entry))
            {
                entry = (sp, new SortedSet<string>(StringComparer.Ordinal));
                found[sp.Id] = entry;
            }

            entry.How.Add(how);
        }

        foreach (var tag in scope.Settings.AppTags)
        {
            try
            {
                await GraphPager.ForEachAsync<ServicePrincipal, ServicePrincipalCollectionResponse>(
                    client,
                    GraphOperations.TaggedServicePrincipals,
                    () => client.ServicePrincipals.GetAsync(
                        rc =>
                        {
                            rc.QueryParameters.Filter = $"tags/any(t:t eq {EntraFacts.Literal(tag)})";
                            rc.QueryParameters.Select = EntraFacts.ServicePrincipalSelect;
                            rc.QueryParameters.Top = scope.Settings.PageSize;
                        },
                        cancellationToken),
                    sp =>
                    {
                        Add(sp, $"tag:{tag}");
                        return Task.CompletedTask;
                    },
                    cancellationToken).ConfigureAwait(false);
            }
            catch (GraphCallException ex)
            {
                await scope.ReportAsync(EntraSubjects.Tenant(scope.Settings), kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var id in scope.Settings.Apps)
        {
            try
            {
                var sp = await FindConfiguredAsync(scope, id, cancellationToken).ConfigureAwait(false);
                if (sp is null)
                {
                    await scope.ReportAsync(
                        EntraSubjects.App(id, null),
                        kind,
                        GraphOperations.ServicePrincipalByAppId.Path,
                        $"No service principal has the appId or id '{id}' (setting {scope.Settings.Credential.SettingPrefix}:Apps).",
                        cancellationToken: cancellationToken).ConfigureAwait(false);
                    continue;
                }

                Add(sp, "configured");
            }
            catch (GraphCallException ex)
            {
                await scope.ReportAsync(EntraSubjects.App(id, null), kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        return found.Values
            .Select(v => new AiApp(v.Sp, v.How.ToArray()))
            .OrderBy(a => a.AppId, StringComparer.Ordinal)
            .ToArray();
    }

    /// <summary>A configured id is tried as an appId first (what app owners know), then as a service principal object id.</summary>
    private static async Task<ServicePrincipal?> FindConfiguredAsync(EntraJobScope scope, string id, CancellationToken cancellationToken = default)
    {
        try
        {
            return await GraphFailure.CallAsync(
                GraphOperations.ServicePrincipalByAppId,
                () => scope.Client.ServicePrincipalsWithAppId(id).GetAsync(rc => rc.QueryParameters.Select = EntraFacts.ServicePrincipalSelect, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex) when (ex.IsNotFound)
        {
        }

        try
        {
            return await GraphFailure.CallAsync(
                GraphOperations.ServicePrincipal,
                () => scope.Client.ServicePrincipals[id].GetAsync(rc => rc.QueryParameters.Select = EntraFacts.ServicePrincipalSelect, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }
}
