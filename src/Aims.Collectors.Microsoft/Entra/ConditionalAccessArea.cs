using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// <c>entra.conditional-access</c>: for each AI app, the Conditional Access policies that apply to it (naming it or
/// <c>All</c>, and not excluding it) with their state and controls, and whether the app requires an app-role
/// assignment before anyone can sign in (A.9.2, A.9.4). One item per AI app.
/// </summary>
internal sealed class ConditionalAccessArea : IEntraArea
{
    public string Kind => "entra.conditional-access";

    public bool IsConfigured(EntraIdSettings settings) => settings.Apps.Count > 0 || settings.AppTags.Count > 0;

    public async Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        var apps = await AiAppResolver.ResolveAsync(scope, Kind, cancellationToken).ConfigureAwait(false);
        if (apps.Count == 0)
        {
            return;
        }

        List<ConditionalAccessPolicy> policies;
        try
        {
            policies = await GraphPager.ListAsync<ConditionalAccessPolicy, ConditionalAccessPolicyCollectionResponse>(
                scope.Client,
                GraphOperations.ConditionalAccessPolicies,
                () => scope.Client.Identity.ConditionalAccess.Policies.GetAsync(cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex)
        {
            foreach (var app in apps)
            {
                await scope.ReportAsync(app.Subject, Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        // The same policy list is the raw payload of every app's item; stored once, content-addressed.
        var raw = new JsonObject { ["value"] = await GraphJson.ToArrayAsync(policies, cancellationToken).ConfigureAwait(false) };
        foreach (var app in apps)
        {
            var applying = policies
                .Select(p => (Policy: p, Inclusion: Inclusion(p, app.AppId)))
                .Where(p => p.Inclusion is not null)
                .OrderBy(p => p.Policy.Id, StringComparer.Ordinal)
                .ToList();
            var policyFacts = applying.Select(p => (JsonNode)PolicyFacts(p.Policy, p.Inclusion!)).ToList();
            var enabled = applying.Count(p => p.Policy.State == ConditionalAccessPolicyState.Enabled);
            var reportOnly = applying.Count(p => p.Policy.State == ConditionalAccessPolicyState.EnabledForReportingButNotEnforced);
            var facts = Facts.Object(
                ("appId", app.AppId),
                ("servicePrincipalId", app.Id),
                ("displayName", app.DisplayName),
                ("appRoleAssignmentRequired", app.ServicePrincipal.AppRoleAssignmentRequired ?? false),
                ("policyCount", policyFacts.Count),
                ("enabledPolicyCount", enabled),
                ("reportOnlyPolicyCount", reportOnly),
                ("policies", Facts.Array(policyFacts)),
                ("tenantPolicyCount", policies.Count));
            await scope.EmitAsync(
                Kind,
                app.Subject,
                "/identity/conditionalAccess/policies",
                $"AI app '{app.DisplayName}': {enabled} enabled and {reportOnly} report-only Conditional Access policies apply; app-role assignment {(app.ServicePrincipal.AppRoleAssignmentRequired == true ? "required" : "not required")}.",
                facts,
                raw,
                cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>explicit</c> when the policy names the app, <c>all</c> when it targets all apps, null when it does not apply.</summary>
    private static string? Inclusion(ConditionalAccessPolicy policy, string appId)
    {
        var apps = policy.Conditions?.Applications;
        if (apps is null || (apps.ExcludeApplications?.Contains(appId, StringComparer.OrdinalIgnoreCase) ?? false))
        {
            return null;
        }

        var include = apps.IncludeApplications ?? [];
        return include.Contains(appId, StringComparer.OrdinalIgnoreCase) ? "explicit"
            : include.Contains("All", StringComparer.OrdinalIgnoreCase) ? "all"
            : null;
    }

    private static JsonObject PolicyFacts(ConditionalAccessPolicy policy, string inclusion)
    {
        var users = policy.Conditions?.Users;
        var grant = policy.GrantControls;
        var session = policy.SessionControls;
        return Facts.Object(
            ("id", policy.Id),
            ("displayName", policy.DisplayName),
            ("state", EntraFacts.Wire(policy.State)),
            ("inclusion", inclusion),
            ("modifiedDateTime", Facts.Time(policy.ModifiedDateTime ?? policy.CreatedDateTime)),
            ("includeUsers", Facts.Set(users?.IncludeUsers)),
            ("includeGroups", Facts.Set(users?.IncludeGroups)),
            ("includeRoles", Facts.Set(users?.IncludeRoles)),
            ("excludeUsers", Facts.Set(users?.ExcludeUsers)),
            ("excludeGroups", Facts.Set(users?.ExcludeGroups)),
            ("grantOperator", grant?.Operator),
            ("builtInControls", Facts.Set(grant?.BuiltInControls?.Select(EntraFacts.Wire))),
            ("authenticationStrength", grant?.AuthenticationStrength?.DisplayName),
            ("termsOfUse", Facts.Set(grant?.TermsOfUse)),
            ("signInFrequency", session?.SignInFrequency is { IsEnabled: true } f ? $"{f.Value} {EntraFacts.Wire(f.Type)}" : null),
            ("persistentBrowser", session?.PersistentBrowser is { IsEnabled: true } b ? EntraFacts.Wire(b.Mode) : null),
            ("cloudAppSecurity", session?.CloudAppSecurity is { IsEnabled: true } c ? EntraFacts.Wire(c.CloudAppSecurityType) : null));
    }
}
