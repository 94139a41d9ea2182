using System.Text.Json.Nodes;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// What one delta round reported for one group, merged over every page it appeared on (Graph may return the same
/// group several times in a round, and may replay a change it already reported; later entries win).
/// </summary>
internal sealed class GroupChanges(string groupId)
{
    public string GroupId { get; } = groupId;

    /// <summary>The group itself was deleted (<c>@removed</c> on the group).</summary>
    public bool Removed { get; private set; }

    /// <summary>The latest value of each tracked group property the round carried (JSON null = cleared).</summary>
    public Dictionary<string, JsonNode?> Properties { get; } = new(StringComparer.Ordinal);

    public RelationChanges Members { get; } = new();

    public RelationChanges Owners { get; } = new();

    /// <summary>The group's entries as Graph returned them, for the raw payload.</summary>
    public JsonArray Raw { get; } = [];

    /// <summary>Ids added as member or owner: Graph gives only their id and type, so their facts are looked up.</summary>
    public IEnumerable<string> AddedIds => Members.Added.Keys.Concat(Owners.Added.Keys);

    public void Merge(JsonObject entry)
    {
        Raw.Add(entry.DeepClone());
        if (entry.ContainsKey("@removed"))
        {
            Removed = true;
            return;
        }

        foreach (var property in GroupDelta.TrackedProperties)
        {
            if (entry.TryGetPropertyValue(property, out var value))
            {
                Properties[property] = value?.DeepClone();
            }
        }

        Members.Merge(entry["members@delta"] as JsonArray);
        Owners.Merge(entry["owners@delta"] as JsonArray);
    }
}

/// <summary>Additions and removals of one relationship (<c>members@delta</c> or <c>owners@delta</c>).</summary>
internal sealed class RelationChanges
{
    /// <summary>Added ids with their <c>@odata.type</c>.</summary>
    public Dictionary<string, string?> Added { get; } = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> Removed { get; } = new(StringComparer.OrdinalIgnoreCase);

    public void Merge(JsonArray? entries)
    {
        foreach (var entry in entries?.OfType<JsonObject>() ?? [])
        {
            if (entry["id"] is not JsonValue idValue || !idValue.TryGetValue<string>(out var id) || id.Length == 0)
            {
                continue;
            }

            // "@removed" with reason "changed" (restorable) or "deleted": either way no longer a member.
            if (entry.ContainsKey("@removed"))
            {
                Added.Remove(id);
                Removed.Add(id);
            }
            else
            {
                Removed.Remove(id);
                Added[id] = entry["@odata.type"] is JsonValue t && t.TryGetValue<string>(out var type) ? type : null;
            }
        }
    }
}
