using Aims.Evidence.Items;

namespace Aims.Collectors.Microsoft.Arm;

/// <summary>The subject types Azure evidence is about (documented in docs/permissions.md).</summary>
internal static class AzureSubjects
{
    public static Subject Subscription(string subscriptionId, string? displayName) =>
        new("subscription", subscriptionId, displayName is null ? $"subscription {subscriptionId}" : $"{displayName} ({subscriptionId})");

    public static Subject Resource(string lowercaseId, string name) => new("azure-resource", lowercaseId, name);
}
