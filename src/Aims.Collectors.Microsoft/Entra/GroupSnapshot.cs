using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// What one run keeps per AI-governance group so the next run can apply only the changes: the delta link, the group's
/// properties and the member and owner facts exactly as the item held them. The delta link carries Graph's opaque
/// state token (a position in the change stream), never a credential; no token or header is ever kept.
/// </summary>
/// <param name="GroupId">The group's object id (lowercase GUID, as configured).</param>
/// <param name="GraphRoot">The Graph root the snapshot was read from; a snapshot of another root is not used.</param>
/// <param name="DeltaLink">The <c>@odata.deltaLink</c> that reports changes made after this snapshot.</param>
/// <param name="TakenAt">When the snapshot was taken (the delta link was anchored or last followed).</param>
/// <param name="FullReadAt">When the members' and owners' facts were last read in full.</param>
/// <param name="Group">The <c>group</c> facts of the item.</param>
/// <param name="Members">The <c>members</c> facts of the item, sorted by id.</param>
/// <param name="Owners">The <c>owners</c> facts of the item, sorted by id.</param>
internal sealed record GroupSnapshot(
    string GroupId,
    string GraphRoot,
    string DeltaLink,
    DateTimeOffset TakenAt,
    DateTimeOffset FullReadAt,
    JsonObject Group,
    IReadOnlyList<JsonObject> Members,
    IReadOnlyList<JsonObject> Owners)
{
    /// <summary>Bumped when the layout changes; a snapshot of another format is not used (the run reads in full).</summary>
    public const int Format = 1;

    /// <summary>The state key: group ids are GUIDs, so the key is a plain name as state keys must be.</summary>
    public static string Key(string groupId) => $"group-members.{groupId}.json";

    public byte[] ToBytes()
    {
        var node = new JsonObject
        {
            ["format"] = Format,
            ["kind"] = "entra.group-members",
            ["groupId"] = GroupId,
            ["graphRoot"] = GraphRoot,
            ["deltaLink"] = DeltaLink,
            ["takenAt"] = Timestamp(TakenAt),
            ["fullReadAt"] = Timestamp(FullReadAt),
            ["group"] = Group.DeepClone(),
            ["members"] = new JsonArray(Members.Select(m => (JsonNode?)m.DeepClone()).ToArray()),
            ["owners"] = new JsonArray(Owners.Select(o => (JsonNode?)o.DeepClone()).ToArray()),
        };
        return Encoding.UTF8.GetBytes(node.ToJsonString());
    }

    /// <summary>
    /// Reads a snapshot kept for <paramref name="groupId"/> under <paramref name="graphRoot"/>. Throws
    /// <see cref="InvalidDataException"/> saying what is wrong when it is not one this version can use.
    /// </summary>
    public static async Task<GroupSnapshot> ReadAsync(Stream content, string groupId, Uri graphRoot, CancellationToken cancellationToken = default)
    {
        JsonNode? node;
        try
        {
            node = await JsonNode.ParseAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"not valid JSON ({ex.Message.Split('\n', 2)[0]})", ex);
        }

        if (node is not JsonObject root)
        {
            throw new InvalidDataException("not a JSON object");
        }

        var format = root["format"] is JsonValue f && f.TryGetValue<int>(out var n) ? n : (int?)null;
        if (format != Format)
        {
            throw new InvalidDataException($"format {format?.ToString(CultureInfo.InvariantCulture) ?? "missing"}, this version reads format {Format}");
        }

        var savedGroup = Text(root, "groupId");
        if (!string.Equals(savedGroup, groupId, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"kept for group '{savedGroup}', not '{groupId}'");
        }

        var configuredRoot = graphRoot.ToString().TrimEnd('/');
        var savedRoot = Text(root, "graphRoot");
        if (!string.Equals(savedRoot, configuredRoot, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException($"read from '{savedRoot}', not the configured '{configuredRoot}'");
        }

        var deltaLink = Text(root, "deltaLink");
        if (!GroupDelta.IsDeltaLinkOf(graphRoot, deltaLink))
        {
            throw new InvalidDataException($"its delta link is not a groups/delta link of {configuredRoot}");
        }

        var group = root["group"] as JsonObject ?? throw new InvalidDataException("'group' is missing");
        if (!string.Equals(Text(group, "id"), groupId, StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidDataException("'group.id' does not match the group");
        }

        return new GroupSnapshot(
            groupId,
            configuredRoot,
            deltaLink,
            Time(root, "takenAt"),
            Time(root, "fullReadAt"),
            (JsonObject)group.DeepClone(),
            Principals(root, "members"),
            Principals(root, "owners"));
    }

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    private static string Text(JsonObject node, string name) =>
        node[name] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw new InvalidDataException($"'{name}' is missing or not a string");

    private static DateTimeOffset Time(JsonObject node, string name) =>
        DateTimeOffset.TryParse(Text(node, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new InvalidDataException($"'{name}' is not a timestamp");

    private static List<JsonObject> Principals(JsonObject node, string name)
    {
        var array = node[name] as JsonArray ?? throw new InvalidDataException($"'{name}' is missing or not an array");
        var result = new List<JsonObject>(array.Count);
        foreach (var item in array)
        {
            if (item is not JsonObject principal || principal["id"] is not JsonValue id || !id.TryGetValue<string>(out var text) || text.Length == 0)
            {
                throw new InvalidDataException($"an entry of '{name}' has no id");
            }

            result.Add((JsonObject)principal.DeepClone());
        }

        return result;
    }
}
