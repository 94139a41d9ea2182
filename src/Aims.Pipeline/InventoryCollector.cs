using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Aims.Evidence.Collection;
using Aims.Evidence.Inventory;
using Aims.Evidence.Items;

namespace Aims.Pipeline;

/// <summary>
/// Captures the AI system inventory as evidence every run, so its history is auditable: one
/// <c>inventory.ai-systems</c> item for the whole inventory (raw payload: the file) and one
/// <c>inventory.ai-system-records</c> item per system with what its entry is missing.
/// </summary>
public sealed class InventoryCollector(AiInventory inventory) : IEvidenceCollector
{
    public const string SourceName = "Inventory";

    public string Source => SourceName;

    public IReadOnlyList<string> Kinds => ["inventory.ai-systems", "inventory.ai-system-records"];

    public CollectorIdentity Identity => new("inventory", inventory.File is { } file ? Path.GetFileName(file) : "inventory", "inventory", Evidence.ProductVersion.Current);

    public async IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        yield return new CollectionJob(plan.RunId, "inventory:0001", Source, plan.Period, new Dictionary<string, string>());
        await Task.CompletedTask.ConfigureAwait(false);
    }

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        Evidence.Store.RawRef? raw = null;
        if (inventory.File is { } file)
        {
            raw = await sink.PutRawAsync(await File.ReadAllBytesAsync(file, cancellationToken).ConfigureAwait(false), "application/yaml", cancellationToken).ConfigureAwait(false);
        }

        var systems = new JsonArray(inventory.Systems.Select(s => (JsonNode)Describe(s)).ToArray());
        await sink.EmitAsync(new EvidenceDraft
        {
            Kind = "inventory.ai-systems",
            Subject = new Subject("inventory", "ai-systems", "AI system inventory"),
            Locator = inventory.File ?? "(configuration)",
            Summary = $"{inventory.Systems.Count} AI system(s): " + string.Join(", ", inventory.Systems.GroupBy(s => s.RiskClass).Select(g => $"{g.Count()} {g.Key}-risk")),
            Facts = new JsonObject
            {
                ["count"] = inventory.Systems.Count,
                ["byLifecycle"] = Counts(inventory.Systems.Select(s => s.Lifecycle)),
                ["byRiskClass"] = Counts(inventory.Systems.Select(s => s.RiskClass)),
                ["systems"] = systems,
            },
            Raw = raw,
            RawMediaType = raw is null ? null : "application/yaml",
        }, cancellationToken).ConfigureAwait(false);

        foreach (var system in inventory.Systems)
        {
            var missing = new JsonArray();
            if (string.IsNullOrWhiteSpace(system.BusinessOwner))
            {
                missing.Add("businessOwner");
            }

            if (string.IsNullOrWhiteSpace(system.TechnicalOwner))
            {
                missing.Add("technicalOwner");
            }

            if (system.ActsAutonomously && string.IsNullOrWhiteSpace(system.HumanOversight))
            {
                missing.Add("humanOversight");
            }

            if (system.Sourcing != "built" && string.IsNullOrWhiteSpace(system.Vendor))
            {
                missing.Add("vendor");
            }

            var facts = Describe(system);
            facts["missing"] = missing;
            facts["complete"] = missing.Count == 0;
            await sink.EmitAsync(new EvidenceDraft
            {
                Kind = "inventory.ai-system-records",
                Subject = new Subject("ai-system", system.Id, system.Name, [system.Id]),
                Locator = system.Location.ToString(),
                Summary = missing.Count == 0 ? $"{system.Name}: inventory entry complete" : $"{system.Name}: inventory entry lacks {string.Join(", ", missing.Select(m => m!.GetValue<string>()))}",
                Facts = facts,
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static JsonObject Describe(AiSystem s) => new()
    {
        ["id"] = s.Id,
        ["name"] = s.Name,
        ["purpose"] = s.Purpose,
        ["businessOwner"] = s.BusinessOwner,
        ["technicalOwner"] = s.TechnicalOwner,
        ["lifecycle"] = s.Lifecycle,
        ["riskClass"] = s.RiskClass,
        ["sourcing"] = s.Sourcing,
        ["vendor"] = s.Vendor,
        ["model"] = s.Model,
        ["actsAutonomously"] = s.ActsAutonomously,
        ["humanOversight"] = s.HumanOversight,
        ["footprint"] = new JsonObject
        {
            ["repositories"] = Array(s.Footprint.Repositories),
            ["entraApps"] = Array(s.Footprint.EntraApps),
            ["azureResources"] = Array(s.Footprint.AzureResources),
            ["ticketProjects"] = Array(s.Footprint.TicketProjects),
            ["documentFolders"] = Array(s.Footprint.DocumentFolders),
        },
    };

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)JsonValue.Create(v)).ToArray());

    private static JsonObject Counts(IEnumerable<string> values)
    {
        var counts = new JsonObject();
        foreach (var group in values.GroupBy(v => v).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            counts[group.Key] = group.Count();
        }

        return counts;
    }
}

/// <summary>The inventory as a source: configured when <c>Aims:Inventory</c> names a file.</summary>
internal sealed class InventorySource(AiInventory inventory) : Collectors.Sources.IEvidenceSource
{
    public string Name => InventoryCollector.SourceName;

    public string Family => "inventory";

    public Evidence.Gaps.SourceState Describe(Microsoft.Extensions.Configuration.IConfigurationSection section) =>
        new(Family, Name, inventory.File is not null, inventory.File is null ? "set Aims:Inventory to the inventory file" : $"{inventory.Systems.Count} AI system(s)");

    public IEvidenceCollector Create(Microsoft.Extensions.Configuration.IConfigurationSection section, Collectors.Sources.SourceContext context) =>
        new InventoryCollector(inventory);
}
