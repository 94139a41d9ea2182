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

    /// <summary>
    /// Why a listed id is not a top-level resource id of <paramref name="subscriptionId"/>
    /// (<c>/subscriptions/{guid}/resourceGroups/{group}/providers/{namespace}/{type}/{name}</c>), or null when it is.
    /// Every later call is built from the id, so a bad one must stop at the listing.
    /// </summary>
    public static string? IdProblem(string id, string subscriptionId)
    {
        var parts = id.Split('/');
        if (parts.Length != 9 || parts[0].Length != 0)
        {
            return "it does not have the form /subscriptions/{id}/resourceGroups/{group}/providers/{namespace}/{type}/{name}";
        }

        if (!string.Equals(parts[1], "subscriptions", StringComparison.OrdinalIgnoreCase) || !Guid.TryParse(parts[2], out var subscription))
        {
            return "its subscription segment is not a subscription id (GUID)";
        }

        if (!string.Equals(subscription.ToString("D"), subscriptionId, StringComparison.OrdinalIgnoreCase))
        {
            return $"it belongs to another subscription than {subscriptionId}";
        }

        if (!string.Equals(parts[3], "resourceGroups", StringComparison.OrdinalIgnoreCase) || parts[4].Length == 0
            || !string.Equals(parts[5], "providers", StringComparison.OrdinalIgnoreCase)
            || parts[6].Length == 0 || parts[7].Length == 0 || parts[8].Length == 0)
        {
            return "it is not the id of a resource in a resource group";
        }

        return parts.Any(p => p.Any(c => char.IsControl(c) || c is '?' or '#' or '\\')) ? "it contains characters a resource id cannot hold" : null;
    }

    /// <summary>Kinds whose accounts host model deployments (Azure OpenAI and the multi-service AI Services / Foundry).</summary>
    public bool HostsModelDeployments =>
        IsCognitiveServices && (string.Equals(Kind, "OpenAI", StringComparison.OrdinalIgnoreCase) || string.Equals(Kind, "AIServices", StringComparison.OrdinalIgnoreCase));
}
