using System.Text;
using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Microsoft.Tests.Fixtures;

/// <summary>
/// The fake tenant's groups, members and owners as state that tests can change between runs, served with Graph's
/// delta semantics: every change gets a sequence number, a delta token is a position in that sequence, and a round
/// returns only what changed after it (net per member, <c>@removed</c> for leavers, the group's selected properties,
/// paged by <see cref="DeltaPageSize"/> relationship entries with the same group repeated across pages).
/// </summary>
public sealed class FakeDirectory
{
    private readonly Dictionary<string, JsonObject> _principals = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, FakeGroup> _groups = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<Change> _changes = [];
    private long _sequence = 1;
    private long _oldestValidToken;

    /// <summary>Members per page of <c>/groups/{id}/members</c> (nextLinks carry <c>$skiptoken</c> = page number).</summary>
    public int MemberPageSize { get; set; } = 2;

    /// <summary>Relationship entries (<c>members@delta</c> + <c>owners@delta</c>) per page of a delta round.</summary>
    public int DeltaPageSize { get; set; } = 100;

    /// <summary>Delta rounds answered with 400 Bad Request as if the token were malformed.</summary>
    public bool RejectAllTokens { get; set; }

    /// <summary>Makes every token issued so far expire: Graph answers 410 Gone with <c>syncStateNotFound</c>.</summary>
    public void ExpireTokens() => _oldestValidToken = _sequence;

    public static FakeDirectory Contoso()
    {
        var directory = new FakeDirectory();
        directory.AddUser(GraphIds.Adele, "Adele Vance", "AdeleV@contoso.com", true, "Member", mail: "AdeleV@contoso.com");
        directory.AddUser(GraphIds.Alex, "Alex Wilber", "AlexW@contoso.com", true, "Member", mail: "AlexW@contoso.com");
        directory.AddUser(GraphIds.Diego, "Diego Siciliani", "DiegoS@contoso.com", false, "Member");
        directory.AddUser(GraphIds.Johanna, "Johanna Lorenz", "JohannaL@contoso.com", true, "Guest");
        directory.AddUser(GraphIds.Megan, "Megan Bowen", "MeganB@contoso.com", true, "Member");
        directory.AddUser(GraphIds.Nestor, "Nestor Wilke", "NestorW@contoso.com", true, "Member");
        directory._principals[GraphIds.UnrelatedGroup] = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.group",
            ["id"] = GraphIds.UnrelatedGroup,
            ["displayName"] = "Model Risk Reviewers",
        };
        var governance = new FakeGroup((JsonObject)JsonNode.Parse(GraphPayloads.GovernanceGroup.Replace("{root}", "", StringComparison.Ordinal))!);
        governance.Properties.Remove("@odata.context");
        governance.Members.AddRange([GraphIds.Adele, GraphIds.Alex, GraphIds.Diego, GraphIds.UnrelatedGroup, GraphIds.Johanna]);
        governance.Owners.Add(GraphIds.Megan);
        directory._groups[GraphIds.GovernanceGroup] = governance;
        return directory;
    }

    public void AddUser(string id, string displayName, string upn, bool enabled, string userType, string? mail = null) =>
        _principals[id] = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.user",
            ["id"] = id,
            ["displayName"] = displayName,
            ["userPrincipalName"] = upn,
            ["mail"] = mail,
            ["accountEnabled"] = enabled,
            ["userType"] = userType,
        };

    /// <summary>Changes a user without touching any group: a group delta does not report it.</summary>
    public void DisableUser(string id) => _principals[id]["accountEnabled"] = false;

    public IReadOnlyList<string> MembersOf(string groupId) => _groups[groupId].Members.ToList();

    public void AddMember(string groupId, string principalId) => Relate(groupId, "members", principalId, add: true);

    public void RemoveMember(string groupId, string principalId) => Relate(groupId, "members", principalId, add: false);

    public void AddOwner(string groupId, string principalId) => Relate(groupId, "owners", principalId, add: true);

    public void RemoveOwner(string groupId, string principalId) => Relate(groupId, "owners", principalId, add: false);

    public void SetGroupProperty(string groupId, string property, JsonNode? value)
    {
        _groups[groupId].Properties[property] = value;
        _changes.Add(new Change(_sequence++, groupId, null, null, false));
    }

    /// <summary>Deletes the group: the next round reports it <c>@removed</c>, and reading it answers 404.</summary>
    public void DeleteGroup(string groupId)
    {
        _groups[groupId].Deleted = true;
        _changes.Add(new Change(_sequence++, groupId, null, null, true));
    }

    public void Map(FakeApi api)
    {
        api.On("GET", $"{FakeGraphTenant.V}/groups/delta", context => DeltaAsync(api, context));
        foreach (var (groupId, _) in _groups)
        {
            api.On("GET", $"{FakeGraphTenant.V}/groups/{groupId}*", context => _groups[groupId].Deleted
                    ? api.WriteJsonAsync(context, GraphPayloads.ApplicationNotFound, 404)
                    : context.Request.Path.Value!.EndsWith("/members", StringComparison.Ordinal) ? MembersAsync(api, context, groupId)
                    : context.Request.Path.Value!.EndsWith("/owners", StringComparison.Ordinal) ? api.WriteJsonAsync(context, Page(_groups[groupId].Owners, null))
                    : api.WriteJsonAsync(context, GroupJson(groupId)));
        }

        api.On("POST", $"{FakeGraphTenant.V}/directoryObjects/getByIds", context => GetByIdsAsync(api, context));
    }

    private void Relate(string groupId, string relation, string principalId, bool add)
    {
        var list = relation == "members" ? _groups[groupId].Members : _groups[groupId].Owners;
        if (add && !list.Contains(principalId))
        {
            list.Add(principalId);
        }
        else if (!add)
        {
            list.Remove(principalId);
        }

        _changes.Add(new Change(_sequence++, groupId, relation, principalId, !add));
    }

    private string GroupJson(string groupId)
    {
        var json = (JsonObject)_groups[groupId].Properties.DeepClone();
        json["@odata.context"] = "{root}/v1.0/$metadata#groups/$entity";
        return json.ToJsonString();
    }

    private Task MembersAsync(FakeApi api, HttpContext context, string groupId)
    {
        var page = int.TryParse(context.Request.Query["$skiptoken"], out var p) ? p : 1;
        var members = _groups[groupId].Members;
        var slice = members.Skip((page - 1) * MemberPageSize).Take(MemberPageSize).ToList();
        var next = page * MemberPageSize < members.Count
            ? $"{{root}}/v1.0/groups/{groupId}/members?$select=id,displayName,userPrincipalName&$top={MemberPageSize}&$skiptoken={page + 1}"
            : null;
        return api.WriteJsonAsync(context, Page(slice, next));
    }

    private string Page(IEnumerable<string> ids, string? next)
    {
        var page = new JsonObject { ["@odata.context"] = "{root}/v1.0/$metadata#directoryObjects" };
        if (next is not null)
        {
            page["@odata.nextLink"] = next;
        }

        page["value"] = new JsonArray(ids.Select(id => (JsonNode?)_principals[id].DeepClone()).ToArray());
        return page.ToJsonString();
    }

    private async Task GetByIdsAsync(FakeApi api, HttpContext context)
    {
        var body = (string)context.Items[FakeApi.BodyItem]!;
        var ids = (JsonNode.Parse(body)?["ids"] as JsonArray ?? []).Select(i => (string)i!).ToList();
        if (ids.Count > 1000)
        {
            await api.WriteJsonAsync(context, GraphPayloads.Error("Request_BadRequest", "Too many ids: at most 1000 are allowed."), 400);
            return;
        }

        var found = ids.Where(_principals.ContainsKey).Select(id => (JsonNode?)_principals[id].DeepClone()).ToArray();
        await api.WriteJsonAsync(context, new JsonObject { ["@odata.context"] = "{root}/v1.0/$metadata#directoryObjects", ["value"] = new JsonArray(found) }.ToJsonString());
    }

    private Task DeltaAsync(FakeApi api, HttpContext context)
    {
        var query = context.Request.Query;
        var deltaToken = query["$deltatoken"].ToString();
        if (deltaToken == "latest")
        {
            var ids = ParseFilter(query["$filter"].ToString());
            return api.WriteJsonAsync(context, Empty(DeltaLink(new Position(_sequence - 1, ids, 0))));
        }

        var token = deltaToken.Length > 0 ? deltaToken : query["$skiptoken"].ToString();
        if (RejectAllTokens || Position.Parse(token) is not { } position)
        {
            return api.WriteJsonAsync(context, GraphPayloads.Error("Request_BadRequest", "The delta token is malformed or has expired."), 400);
        }

        if (position.Sequence < _oldestValidToken)
        {
            return api.WriteJsonAsync(context, GraphPayloads.Error("syncStateNotFound", "The sync state was not found; restart with a full synchronization."), 410);
        }

        // A skiptoken page carries the round's upper bound in Offset's companion; deltatoken rounds start at offset 0.
        var until = deltaToken.Length > 0 ? _sequence - 1 : position.Until;
        var entries = RoundEntries(position.Sequence, until, position.Groups);
        var pageEntries = new List<JsonObject>();
        var budget = DeltaPageSize;
        var offset = position.Offset;
        while (offset < entries.Count && budget > 0)
        {
            pageEntries.Add(entries[offset]);
            budget -= Math.Max(1, entries[offset]["members@delta"]?.AsArray().Count ?? 0) + (entries[offset]["owners@delta"]?.AsArray().Count ?? 0);
            offset++;
        }

        var page = new JsonObject { ["@odata.context"] = "{root}/v1.0/$metadata#groups" };
        if (offset < entries.Count)
        {
            page["@odata.nextLink"] = $"{{root}}/v1.0/groups/delta?$skiptoken={new Position(position.Sequence, position.Groups, offset, until).Encode()}";
        }
        else
        {
            page["@odata.deltaLink"] = DeltaLink(new Position(until, position.Groups, 0));
        }

        page["value"] = new JsonArray(pageEntries.Select(e => (JsonNode?)e).ToArray());
        return api.WriteJsonAsync(context, page.ToJsonString());
    }

    /// <summary>The round's entries: one per changed group, split so each holds at most a page of relationship entries.</summary>
    private List<JsonObject> RoundEntries(long after, long until, IReadOnlyList<string> groups)
    {
        var result = new List<JsonObject>();
        foreach (var groupId in groups)
        {
            var changes = _changes.Where(c => c.Sequence > after && c.Sequence <= until && string.Equals(c.GroupId, groupId, StringComparison.OrdinalIgnoreCase)).ToList();
            if (changes.Count == 0 || !_groups.TryGetValue(groupId, out var group))
            {
                continue;
            }

            if (group.Deleted)
            {
                result.Add(new JsonObject { ["id"] = groupId, ["@removed"] = new JsonObject { ["reason"] = "changed" } });
                continue;
            }

            var relations = new List<(string Relation, JsonObject Entry)>();
            foreach (var relation in new[] { "members", "owners" })
            {
                // Net change per principal: the last one wins.
                foreach (var last in changes.Where(c => c.Relation == relation).GroupBy(c => c.PrincipalId!, StringComparer.OrdinalIgnoreCase).Select(g => g.Last()))
                {
                    var entry = new JsonObject
                    {
                        ["@odata.type"] = _principals.TryGetValue(last.PrincipalId!, out var p) ? p["@odata.type"]?.DeepClone() : "#microsoft.graph.user",
                        ["id"] = last.PrincipalId,
                    };
                    if (last.Removed)
                    {
                        entry["@removed"] = new JsonObject { ["reason"] = "deleted" };
                    }

                    relations.Add((relation, entry));
                }
            }

            IEnumerable<(string Relation, JsonObject Entry)[]> chunks = relations.Count == 0 ? [[]] : relations.Chunk(Math.Max(1, DeltaPageSize));
            foreach (var chunk in chunks)
            {
                var entry = (JsonObject)group.Properties.DeepClone();
                foreach (var relation in chunk.GroupBy(r => r.Relation))
                {
                    entry[$"{relation.Key}@delta"] = new JsonArray(relation.Select(r => (JsonNode?)r.Entry).ToArray());
                }

                result.Add(entry);
            }
        }

        return result;
    }

    private static string Empty(string deltaLink) =>
        new JsonObject { ["@odata.context"] = "{root}/v1.0/$metadata#groups", ["@odata.deltaLink"] = deltaLink, ["value"] = new JsonArray() }.ToJsonString();

    private static string DeltaLink(Position position) => $"{{root}}/v1.0/groups/delta?$deltatoken={position.Encode()}";

    private static List<string> ParseFilter(string filter) =>
        filter.Split(" or ", StringSplitOptions.RemoveEmptyEntries)
            .Select(part => part.Trim().Replace("id eq ", "", StringComparison.Ordinal).Trim('\''))
            .ToList();

    private sealed record FakeGroup(JsonObject Properties)
    {
        public bool Deleted { get; set; }

        public List<string> Members { get; } = [];

        public List<string> Owners { get; } = [];
    }

    private sealed record Change(long Sequence, string GroupId, string? Relation, string? PrincipalId, bool Removed);

    /// <summary>An opaque state token: the change sequence it starts after, the filtered groups, and paging.</summary>
    private sealed record Position(long Sequence, IReadOnlyList<string> Groups, int Offset, long Until = 0)
    {
        public string Encode() =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Sequence}|{Until}|{Offset}|{string.Join(',', Groups)}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        public static Position? Parse(string token)
        {
            try
            {
                var padded = token.Replace('-', '+').Replace('_', '/');
                padded += new string('=', (4 - padded.Length % 4) % 4);
                var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
                return parts.Length == 4 && long.TryParse(parts[0], out var sequence) && long.TryParse(parts[1], out var until) && int.TryParse(parts[2], out var offset)
                    ? new Position(sequence, parts[3].Split(',', StringSplitOptions.RemoveEmptyEntries), offset, until)
                    : null;
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
