namespace Aims.Evidence;

/// <summary>An evidence kind: what a collector observes, and which source family supplies it.</summary>
public sealed record EvidenceKind(string Name, string Source, string Description);

/// <summary>The evidence kinds the product knows. Requirements may only name these.</summary>
public static class EvidenceKinds
{
    public const string Document = "document";
    public const string CollectorError = "collector-error";
    public const string GitHubRepository = "github.repository";
    public const string GitHubBranchProtection = "github.branch-protection";
    public const string GitHubPullRequests = "github.pull-requests";

    public static IReadOnlyList<EvidenceKind> All { get; } =
    [
        new(Document, "documents", "A governed document (policy, assessment, minutes) with its approval and review dates."),
        new(CollectorError, "any", "A collector could not observe a subject; stands in for the kind it attempted."),
        new("inventory.ai-systems", "inventory", "The AI system inventory as configured, captured each run."),
        new("inventory.ai-system-records", "inventory", "One AI system's required records: owner, impact assessment, technical documentation, intended use."),
        new(GitHubRepository, "github", "A repository in scope, with topics, visibility and default branch."),
        new(GitHubBranchProtection, "github", "Default-branch protection and rulesets."),
        new(GitHubPullRequests, "github", "Pull requests merged in the period, each with whether someone other than its author approved it."),
        new("github.codeowners", "github", "CODEOWNERS present and free of errors."),
        new("github.workflow-runs", "github", "Runs of named evaluation workflows over the period, with conclusions."),
        new("github.environments", "github", "Deployment environments with required reviewers, and the deployments through them."),
        new("github.releases", "github", "Releases published in the period."),
        new("github.security-alerts", "github", "Dependabot, code-scanning and secret-scanning alert summaries."),
        new("github.security-policy", "github", "SECURITY.md and private vulnerability reporting."),
        new("github.policy-reviews", "github", "Policy documents in a governance repository with the approving review of the PR that last changed each."),
        new("ticket.incidents", "ticketing", "AI incidents with detection, notification and resolution times."),
        new("ticket.concerns", "ticketing", "Concern reports raised through the intake."),
        new("ticket.change-requests", "ticketing", "Change requests for AI systems with their approvals."),
        new("ticket.impact-assessments", "ticketing", "Impact-assessment tickets with approver and date."),
        new("ticket.vendor-reviews", "ticketing", "Supplier / vendor reviews."),
        new("ticket.nonconformities", "ticketing", "Nonconformities and corrective actions."),
        new("entra.group-members", "entra", "Members and roles of the AI-governance groups."),
        new("entra.role-assignments", "entra", "Directory role assignments and PIM eligibility for privileged roles."),
        new("entra.ai-apps", "entra", "App registrations / service principals that are AI systems, with owners."),
        new("entra.third-party-apps", "entra", "Multi-tenant service principals and delegated consent grants."),
        new("entra.access-reviews", "entra", "Access review definitions, instances and decisions."),
        new("entra.conditional-access", "entra", "Conditional Access policies covering AI apps; app-role assignment required."),
        new("entra.audit-logs", "entra", "Directory audit log entries for AI apps over the period."),
        new("azure.ai-resources", "azure", "Cognitive Services / Azure OpenAI accounts and ML workspaces."),
        new("azure.model-deployments", "azure", "Model deployments with SKU, capacity and content-filter policy."),
        new("azure.diagnostic-settings", "azure", "Diagnostic settings on AI resources: categories, destinations, retention."),
        new("azure.role-assignments", "azure", "Role assignments on AI resources."),
        new("azure.policy-compliance", "azure", "Policy assignments and compliance state."),
        new("azure.activity-log", "azure", "Activity-log entries for deployment changes over the period."),
    ];

    private static readonly Dictionary<string, EvidenceKind> ByName = All.ToDictionary(k => k.Name, StringComparer.Ordinal);

    public static bool IsKnown(string name) => ByName.ContainsKey(name);

    public static EvidenceKind? Find(string name) => ByName.GetValueOrDefault(name);

    /// <summary>The source family a kind comes from (<c>github</c>, <c>documents</c>, ...).</summary>
    public static string SourceOf(string name) => ByName.TryGetValue(name, out var k) ? k.Source : "unknown";
}
