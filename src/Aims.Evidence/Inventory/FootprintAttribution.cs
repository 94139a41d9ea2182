using System.Text.Json.Nodes;
using Aims.Evidence.Checks;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;

namespace Aims.Evidence.Inventory;

/// <summary>
/// Attributes a subject to the AI systems whose footprint covers it, the same way for every collector: by subject
/// type and id (repositories, documents, Entra apps, Azure resources) and by a few well-known facts (<c>repository</c>,
/// <c>project</c>, <c>appId</c>, <c>tags</c>). What a collector already attributed is kept.
/// </summary>
public sealed class FootprintAttribution(AiInventory inventory) : IAiSystemAttribution
{
    public IReadOnlyList<string> AttributeTo(Subject subject, JsonObject facts)
    {
        var systems = new SortedSet<string>(subject.AiSystemIds, StringComparer.Ordinal);
        foreach (var system in inventory.Systems)
        {
            if (Covers(system.Footprint, subject, facts))
            {
                systems.Add(system.Id);
            }
        }

        return systems.ToList();
    }

    public static bool Covers(AiSystemFootprint footprint, Subject subject, JsonObject facts)
    {
        switch (subject.Type)
        {
            case "repository" when footprint.Repositories.Any(r => RepositoryMatches(r, subject.Id)):
            case "document" when footprint.DocumentFolders.Any(f => subject.Id.StartsWith(f.TrimEnd('/') + "/", StringComparison.Ordinal)):
            case "document" when footprint.SharePoint.Any(place => SharePointFootprint.Covers(place, subject.Id)):
            case "entra-app" or "entra-service-principal" when footprint.EntraApps.Contains(subject.Id, StringComparer.OrdinalIgnoreCase):
            case "azure-resource" when footprint.AzureResources.Any(r => AzureResourceMatches(r, subject.Id, facts)):
                return true;
        }

        if (FactReader.GetString(facts, "repository") is { } repo && footprint.Repositories.Any(r => RepositoryMatches(r, repo)))
        {
            return true;
        }

        if (FactReader.GetString(facts, "project") is { } project && footprint.TicketProjects.Contains(project, StringComparer.OrdinalIgnoreCase))
        {
            return true;
        }

        return FactReader.GetString(facts, "appId") is { } appId && footprint.EntraApps.Contains(appId, StringComparer.OrdinalIgnoreCase);
    }

    private static bool RepositoryMatches(string pattern, string repository) =>
        pattern.EndsWith("/*", StringComparison.Ordinal)
            ? repository.StartsWith(pattern[..^1], StringComparison.OrdinalIgnoreCase)
            : string.Equals(pattern, repository, StringComparison.OrdinalIgnoreCase);

    private static bool AzureResourceMatches(string pattern, string resourceId, JsonObject facts)
    {
        if (pattern.StartsWith("tag:", StringComparison.OrdinalIgnoreCase))
        {
            var (name, value) = pattern[4..].Split('=', 2) is [var n, var v] ? (n, v) : (pattern[4..], "");
            return facts["tags"] is JsonObject tags
                && tags.FirstOrDefault(t => string.Equals(t.Key, name, StringComparison.OrdinalIgnoreCase)).Value is JsonValue tv
                && tv.TryGetValue<string>(out var actual)
                && (value.Length == 0 || string.Equals(actual, value, StringComparison.OrdinalIgnoreCase));
        }

        var prefix = pattern.TrimEnd('/');
        return string.Equals(prefix, resourceId, StringComparison.OrdinalIgnoreCase)
            || resourceId.StartsWith(prefix + "/", StringComparison.OrdinalIgnoreCase);
    }
}
