namespace Aims.Collectors.Microsoft.Tests.Fixtures;

/// <summary>Ids of the fake Contoso Azure estate the Resource Manager fixtures describe.</summary>
public static class ArmIds
{
    public const string Production = "6b1d3f5a-2c4e-4a6b-8d0f-1a3c5e7b9d2f";
    public const string Broken = "9e8d7c6b-5a49-4382-b1a0-f9e8d7c6b5a4";

    public const string OpenAi = $"/subscriptions/{Production}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/oai-fraud";
    public const string Language = $"/subscriptions/{Production}/resourceGroups/rg-ai/providers/Microsoft.CognitiveServices/accounts/lang-support";
    public const string Workspace = $"/subscriptions/{Production}/resourceGroups/rg-ml/providers/Microsoft.MachineLearningServices/workspaces/mlw-fraud";

    public const string OpenAiUserRole = $"/subscriptions/{Production}/providers/Microsoft.Authorization/roleDefinitions/5e0bd9bd-7b93-4f28-af87-19fc36ad61bd";
    public const string ContributorRole = $"/subscriptions/{Production}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c";

    public const string DataScientists = "ab12cd34-ef56-4789-a0b1-c2d3e4f5a6b7";
    public const string Pipeline = "b8f4d5e6-a7b8-4293-9d4e-5f6a7b8c9d0e";
}
