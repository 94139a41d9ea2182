using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>An AI resource found in a subscription: a Cognitive Services / Azure OpenAI account or an ML workspace.</summary>
internal sealed record AiResource(string Id, string Type, string Name, string? Kind, string? Location)
{
    public const string CognitiveServicesAccounts = "Microsoft.CognitiveServices/accounts";
    public const string MachineLearningWorkspaces = "Microsoft.MachineLearningServices/workspaces";

    /// <summary>ARM ids are case-insensitive; subjects use the lowercase form so every source names a resource alike.</summary>
    public string Key => Id.ToLowerInvariant();

    public Subject Subject => AzureSubjects.Resource(Key, Name);

    public bool IsCognitiveServices => string.Equals(Type, CognitiveServicesAccounts, StringComparison.OrdinalIgnoreCase);

    /// <summary>Kinds whose accounts host model deployments (Azure OpenAI and the multi-service AI Services / Foundry).</summary>
    public bool HostsModelDeployments =>
        IsCognitiveServices && (string.Equals(Kind, "OpenAI", StringComparison.OrdinalIgnoreCase) || string.Equals(Kind, "AIServices", StringComparison.OrdinalIgnoreCase));
}
