using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>The subject types Entra evidence is about (documented in docs/permissions.md).</summary>
internal static class EntraSubjects
{
    public static Subject Tenant(EntraIdSettings settings) => new("entra-tenant", settings.TenantSubjectId, $"Entra ID tenant {settings.TenantSubjectId}");

    public static Subject Group(string id, string? displayName) => new("entra-group", id, displayName ?? id);

    /// <summary>Apps are named by their appId (client id): the same in every tenant and in the inventory footprint.</summary>
    public static Subject App(string appId, string? displayName) => new("entra-app", appId, displayName ?? appId);

    public static Subject Role(string templateId, string? displayName) => new("entra-role", templateId, displayName ?? templateId);

    public static Subject AccessReview(string definitionId, string? displayName) => new("entra-access-review", definitionId, displayName ?? definitionId);
}
