namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// One Graph call as the digest names it (<c>GET /groups/{id}/members</c>) with the least-privileged application
/// permission it needs, so a 403 can say which permission to grant.
/// </summary>
internal sealed record GraphOperation(string Method, string Path, string Permission)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>The operations the Entra collector performs, each with its least-privileged Graph application permission.</summary>
internal static class GraphOperations
{
    public static readonly GraphOperation Organization = new("GET", "/organization", "Organization.Read.All");
    public static readonly GraphOperation Group = new("GET", "/groups/{id}", "GroupMember.Read.All");
    public static readonly GraphOperation GroupDelta = new("GET", "/groups/delta", "GroupMember.Read.All");
    public static readonly GraphOperation GroupDeltaRound = new("GET", "/groups/delta?$deltatoken=…", "GroupMember.Read.All");
    public static readonly GraphOperation DirectoryObjectsByIds = new("POST", "/directoryObjects/getByIds", "Directory.Read.All");
    public static readonly GraphOperation GroupMembers = new("GET", "/groups/{id}/members", "GroupMember.Read.All");
    public static readonly GraphOperation GroupOwners = new("GET", "/groups/{id}/owners", "GroupMember.Read.All");
    public static readonly GraphOperation RoleDefinitions = new("GET", "/roleManagement/directory/roleDefinitions", "RoleManagement.Read.Directory");
    public static readonly GraphOperation RoleAssignments = new("GET", "/roleManagement/directory/roleAssignments", "RoleManagement.Read.Directory");
    public static readonly GraphOperation RoleEligibility = new("GET", "/roleManagement/directory/roleEligibilitySchedules", "RoleEligibilitySchedule.Read.Directory");
    public static readonly GraphOperation TaggedServicePrincipals = new("GET", "/servicePrincipals?$filter=tags/any(...)", "Application.Read.All");
    public static readonly GraphOperation ServicePrincipalByAppId = new("GET", "/servicePrincipals(appId='{appId}')", "Application.Read.All");
    public static readonly GraphOperation ServicePrincipal = new("GET", "/servicePrincipals/{id}", "Application.Read.All");
    public static readonly GraphOperation ServicePrincipals = new("GET", "/servicePrincipals", "Application.Read.All");
    public static readonly GraphOperation ServicePrincipalOwners = new("GET", "/servicePrincipals/{id}/owners", "Application.Read.All");
    public static readonly GraphOperation ApplicationByAppId = new("GET", "/applications(appId='{appId}')", "Application.Read.All");
    public static readonly GraphOperation ApplicationOwners = new("GET", "/applications/{id}/owners", "Application.Read.All");
    public static readonly GraphOperation PermissionGrants = new("GET", "/oauth2PermissionGrants", "DelegatedPermissionGrant.Read.All");
    public static readonly GraphOperation AccessReviewDefinitions = new("GET", "/identityGovernance/accessReviews/definitions", "AccessReview.Read.All");
    public static readonly GraphOperation AccessReviewInstances = new("GET", "/identityGovernance/accessReviews/definitions/{id}/instances", "AccessReview.Read.All");
    public static readonly GraphOperation AccessReviewDecisions = new("GET", "/identityGovernance/accessReviews/definitions/{id}/instances/{id}/decisions", "AccessReview.Read.All");
    public static readonly GraphOperation ConditionalAccessPolicies = new("GET", "/identity/conditionalAccess/policies", "Policy.Read.All");
    public static readonly GraphOperation DirectoryAudits = new("GET", "/auditLogs/directoryAudits", "AuditLog.Read.All");
}
