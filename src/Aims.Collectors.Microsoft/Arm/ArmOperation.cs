namespace Aims.Collectors.Microsoft.Arm;

/// <summary>
/// One Resource Manager call as the digest names it, with the built-in role that grants it and the exact action,
/// so a 403 says what to assign.
/// </summary>
internal sealed record ArmOperation(string Method, string Path, string ApiVersion, string Role, string Action)
{
    public override string ToString() => $"{Method} {Path}";
}

/// <summary>The calls the Azure collector makes, with their documented api-versions.</summary>
internal static class ArmOperations
{
    public static readonly ArmOperation Subscription = new("GET", "/subscriptions/{subscriptionId}", "2022-12-01", "Reader", "Microsoft.Resources/subscriptions/read");
    public static readonly ArmOperation Resources = new("GET", "/subscriptions/{subscriptionId}/resources", "2022-09-01", "Reader", "Microsoft.Resources/subscriptions/resources/read");
    public static readonly ArmOperation CognitiveAccount = new("GET", "/{cognitiveServicesAccountId}", "2024-10-01", "Reader", "Microsoft.CognitiveServices/accounts/read");
    public static readonly ArmOperation Workspace = new("GET", "/{machineLearningWorkspaceId}", "2024-04-01", "Reader", "Microsoft.MachineLearningServices/workspaces/read");
    public static readonly ArmOperation Deployments = new("GET", "/{accountId}/deployments", "2024-10-01", "Reader", "Microsoft.CognitiveServices/accounts/deployments/read");
    public static readonly ArmOperation RaiPolicies = new("GET", "/{accountId}/raiPolicies", "2024-10-01", "Reader", "Microsoft.CognitiveServices/accounts/raiPolicies/read");
    public static readonly ArmOperation DiagnosticSettings = new("GET", "/{resourceId}/providers/Microsoft.Insights/diagnosticSettings", "2021-05-01-preview", "Monitoring Reader", "Microsoft.Insights/diagnosticSettings/read");
    public static readonly ArmOperation RoleAssignments = new("GET", "/{resourceId}/providers/Microsoft.Authorization/roleAssignments", "2022-04-01", "Reader", "Microsoft.Authorization/roleAssignments/read");
    public static readonly ArmOperation RoleDefinition = new("GET", "/{roleDefinitionId}", "2022-04-01", "Reader", "Microsoft.Authorization/roleDefinitions/read");
    public static readonly ArmOperation PolicyAssignments = new("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Authorization/policyAssignments", "2022-06-01", "Reader", "Microsoft.Authorization/policyAssignments/read");
    public static readonly ArmOperation PolicyStatesSummary = new("POST", "/subscriptions/{subscriptionId}/providers/Microsoft.PolicyInsights/policyStates/latest/summarize", "2019-10-01", "Reader", "Microsoft.PolicyInsights/policyStates/summarize/read");
    public static readonly ArmOperation ActivityLog = new("GET", "/subscriptions/{subscriptionId}/providers/Microsoft.Insights/eventtypes/management/values", "2015-04-01", "Monitoring Reader", "Microsoft.Insights/eventtypes/values/read");
}
