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
        await scope.AiAppsGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await ResolveOnceAsync(scope, kind, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            scope.AiAppsGate.Release();
        }
    }

    private static async Task<IReadOnlyList<AiApp>> ResolveOnceAsync(EntraJobScope scope, string kind, CancellationToken cancellationToken)
    {
        if (await AiAppRunCache.LoadAsync(scope, cancellationToken).ConfigureAwait(false) is var (cache, kept))
        {
            scope.AiApps = cache;
            return kept;
        }

        var client = scope.Client;
        var failed = false;
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
                failed = true;
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
                    failed = true;
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
                failed = true;
                await scope.ReportAsync(EntraSubjects.App(id, null), kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        var apps = found.Values
            .Select(v => new AiApp(v.Sp, v.How.ToArray()))
            .OrderBy(a => a.AppId, StringComparer.Ordinal)
            .ToArray();
        if (!failed && EntraState.Unavailable(scope) is null)
        {
            scope.AiApps = await AiAppRunCache.CreateAsync(scope, apps, cancellationToken).ConfigureAwait(false);
        }

        return apps;
    }

    /// <summary>The fields of an app registration the AI-app and audit-log items use.</summary>
    public static readonly string[] ApplicationSelect = ["id", "appId", "displayName", "signInAudience", "createdDateTime", "tags", "publisherDomain", "notes"];

    /// <summary>
    /// The app registration of <paramref name="appId"/>, or null when the app is registered in another tenant
    /// (multi-tenant or Microsoft apps). Asked once per run: later jobs of the run take it from the run's cache.
    /// </summary>
    public static async Task<Application?> RegistrationAsync(EntraJobScope scope, string appId, CancellationToken cancellationToken = default)
    {
        if (scope.AiApps is { } cache && await cache.RegistrationAsync(appId, cancellationToken).ConfigureAwait(false) is (true, var kept))
        {
            return kept;
        }

        Application? registration;
        try
        {
            registration = await GraphFailure.CallAsync(
                GraphOperations.ApplicationByAppId,
                () => scope.Client.ApplicationsWithAppId(appId).GetAsync(rc => rc.QueryParameters.Select = ApplicationSelect, cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex) when (ex.IsNotFound)
        {
            registration = null;
        }

        if (scope.AiApps is { } run)
        {
            await run.KeepRegistrationAsync(appId, registration, cancellationToken).ConfigureAwait(false);
        }

        return registration;
    }

    /// <summary>
    /// Runs <paramref name="collect"/> for each AI app of the job; a failing app becomes a collector-error for it and the
    /// others go on. Then saves the registrations looked up, for the run's later jobs.
    /// </summary>
    public static async Task ForEachAppAsync(EntraJobScope scope, string kind, Func<AiApp, Task> collect, CancellationToken cancellationToken = default)
    {
        foreach (var app in await ResolveAsync(scope, kind, cancellationToken).ConfigureAwait(false))
        {
            try
            {
                await collect(app).ConfigureAwait(false);
            }
            catch (GraphCallException ex)
            {
                await scope.ReportAsync(app.Subject, kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }

        await SaveRunCacheAsync(scope, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Saves the registrations this job looked up, for the run's later jobs.</summary>
    public static Task SaveRunCacheAsync(EntraJobScope scope, CancellationToken cancellationToken = default) =>
        scope.AiApps?.SaveAsync(scope, cancellationToken) ?? Task.CompletedTask;

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
