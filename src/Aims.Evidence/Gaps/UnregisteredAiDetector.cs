using System.Text.Json.Nodes;
using Aims.Evidence.Checks;
using Aims.Evidence.Inventory;
using Aims.Evidence.Items;

namespace Aims.Evidence.Gaps;

/// <summary>
/// Finds AI in collected evidence that no inventory entry claims: repositories with AI topics, AI-type Azure resources,
/// service principals of AI vendors. Looks at the subject itself and at each object of a population fact
/// (e.g. every service principal listed in one <c>entra.third-party-apps</c> item).
/// </summary>
public static class UnregisteredAiDetector
{
    public static IReadOnlyList<string> Kinds { get; } = ["github.repository", "azure.ai-resources", "entra.ai-apps", "entra.third-party-apps"];

    public static IEnumerable<UnregisteredAiFinding> Find(AiInventory inventory, IEnumerable<EvidenceItem> items)
    {
        foreach (var item in items)
        {
            foreach (var (facts, subject) in Candidates(item))
            {
                if (inventory.Systems.Any(s => FootprintAttribution.Covers(s.Footprint, subject, facts)) || subject.AiSystemIds.Count > 0)
                {
                    continue;
                }

                if (Reason(inventory.Rules, item.Kind, subject, facts) is { } reason)
                {
                    yield return new UnregisteredAiFinding(item.Kind, subject.Key, subject.DisplayName, $"{item.Source.System} {item.Source.Locator}", reason, item.Id);
                }
            }
        }
    }

    private static IEnumerable<(JsonObject Facts, Subject Subject)> Candidates(EvidenceItem item)
    {
        yield return (item.Facts, item.Subject);
        foreach (var (_, value) in item.Facts)
        {
            if (value is not JsonArray array)
            {
                continue;
            }

            foreach (var element in array.OfType<JsonObject>())
            {
                var id = FactReader.GetString(element, "id") ?? FactReader.GetString(element, "appId") ?? FactReader.GetString(element, "resourceId");
                if (id is null)
                {
                    continue;
                }

                var name = FactReader.GetString(element, "displayName") ?? FactReader.GetString(element, "name") ?? id;
                var type = item.Kind.StartsWith("azure.", StringComparison.Ordinal) ? "azure-resource" : item.Kind.StartsWith("entra.", StringComparison.Ordinal) ? "entra-app" : "repository";
                yield return (element, new Subject(type, FactReader.GetString(element, "appId") ?? id, name));
            }
        }
    }

    private static string? Reason(UnregisteredAiRules rules, string kind, Subject subject, JsonObject facts)
    {
        if (kind == "github.repository" && facts["topics"] is JsonArray topics)
        {
            var hit = topics.Select(t => t?.GetValue<string>()).FirstOrDefault(t => t is not null && rules.RepositoryTopics.Contains(t, StringComparer.OrdinalIgnoreCase));
            return hit is null ? null : $"repository topic '{hit}'";
        }

        if (kind == "azure.ai-resources")
        {
            var type = FactReader.GetString(facts, "type") ?? FactReader.GetString(facts, "resourceType");
            var resourceKind = FactReader.GetString(facts, "kind");
            if (type is not null && rules.AzureResourceTypes.Contains(type, StringComparer.OrdinalIgnoreCase))
            {
                return $"Azure resource of type {type}" + (resourceKind is null ? "" : $" (kind {resourceKind})");
            }

            return resourceKind is not null && rules.AzureResourceKinds.Contains(resourceKind, StringComparer.OrdinalIgnoreCase) ? $"Azure resource of kind {resourceKind}" : null;
        }

        if (kind.StartsWith("entra.", StringComparison.Ordinal))
        {
            var name = FactReader.GetString(facts, "displayName") ?? subject.DisplayName;
            var publisher = FactReader.GetString(facts, "publisherName") ?? FactReader.GetString(facts, "verifiedPublisher");
            var nameHit = rules.ServicePrincipalNames.FirstOrDefault(n => name.Contains(n, StringComparison.OrdinalIgnoreCase));
            if (nameHit is not null)
            {
                return $"app name contains '{nameHit}'";
            }

            var publisherHit = publisher is null ? null : rules.VendorPublishers.FirstOrDefault(p => publisher.Contains(p, StringComparison.OrdinalIgnoreCase));
            return publisherHit is null ? null : $"published by {publisherHit}";
        }

        return null;
    }
}
