using Aims.Collectors.Microsoft.Tests.Infrastructure;

namespace Aims.Collectors.Microsoft.Tests.Fixtures;

/// <summary>Routes the fake Contoso estate's Resource Manager endpoints onto a <see cref="FakeApi"/>.</summary>
public static class FakeArmEstate
{
    public const string Sub = $"/subscriptions/{ArmIds.Production}";
    public const string ResourcesPath = $"{Sub}/resources";
    public const string DeploymentsPath = $"{ArmIds.OpenAi}/deployments";
    public const string ActivityLogPath = $"{Sub}/providers/Microsoft.Insights/eventtypes/management/values";
    public const string SummaryPath = $"{Sub}/providers/Microsoft.PolicyInsights/policyStates/latest/summarize";

    public static string Diagnostics(string resourceId) => $"{resourceId}/providers/Microsoft.Insights/diagnosticSettings";

    public static string RoleAssignments(string resourceId) => $"{resourceId}/providers/Microsoft.Authorization/roleAssignments";

    public static FakeApi MapContosoEstate(this FakeApi api)
    {
        api.OnJson("GET", Sub, ArmPayloads.Subscription)
            .On("GET", ResourcesPath, context =>
            {
                var filter = context.Request.Query["$filter"].ToString();
                var body = filter.Contains("MachineLearningServices", StringComparison.Ordinal) ? ArmPayloads.WorkspaceResources
                    : context.Request.Query["$skiptoken"] == "page2" ? ArmPayloads.CognitiveResources(2)
                    : ArmPayloads.CognitiveResources(1);
                return api.WriteJsonAsync(context, body);
            })
            .OnJson("GET", ArmIds.OpenAi, ArmPayloads.OpenAiAccount)
            .OnJson("GET", ArmIds.Language, ArmPayloads.LanguageAccount)
            .OnJson("GET", ArmIds.Workspace, ArmPayloads.Workspace)
            .On("GET", DeploymentsPath, context => api.WriteJsonAsync(context, ArmPayloads.Deployments(context.Request.Query["$skipToken"] == "2" ? 2 : 1)))
            .OnJson("GET", $"{ArmIds.OpenAi}/raiPolicies", ArmPayloads.RaiPolicies)
            .OnJson("GET", Diagnostics(ArmIds.OpenAi), ArmPayloads.OpenAiDiagnostics)
            .OnJson("GET", Diagnostics(ArmIds.Language), ArmPayloads.Empty)
            .OnJson("GET", Diagnostics(ArmIds.Workspace), ArmPayloads.Empty)
            .OnJson("GET", RoleAssignments(ArmIds.OpenAi), ArmPayloads.RoleAssignments)
            .OnJson("GET", RoleAssignments(ArmIds.Language), ArmPayloads.Empty)
            .OnJson("GET", RoleAssignments(ArmIds.Workspace), ArmPayloads.Empty)
            .OnJson("GET", ArmIds.OpenAiUserRole, ArmPayloads.RoleDefinition(ArmIds.OpenAiUserRole, "Cognitive Services OpenAI User"))
            .OnJson("GET", ArmIds.ContributorRole, ArmPayloads.RoleDefinition(ArmIds.ContributorRole, "Contributor"))
            .OnJson("GET", $"{Sub}/providers/Microsoft.Authorization/policyAssignments", ArmPayloads.PolicyAssignments)
            .OnJson("POST", SummaryPath, ArmPayloads.PolicySummary)
            .OnJson("GET", ActivityLogPath, ArmPayloads.ActivityLog);
        return api;
    }

    /// <summary>The settings every Azure test starts from: the fake as the endpoint, the public ARM audience.</summary>
    public static Dictionary<string, string?> Settings(FakeApi api) => new()
    {
        ["Endpoint"] = api.Root,
        ["Audience"] = "https://management.azure.com",
        ["Subscriptions:0"] = ArmIds.Production,
        ["MaxRetries"] = "0",
    };
}
