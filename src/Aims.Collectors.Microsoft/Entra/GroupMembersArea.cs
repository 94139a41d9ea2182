using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Microsoft.Graph.Models;
using GroupDeltaResponse = Microsoft.Graph.Groups.Delta.DeltaGetResponse;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// <c>entra.group-members</c>: members and owners of each configured AI-governance group (A.3.2, A.4.6).
/// <para>
/// A full read anchors a group delta query first (<c>$deltatoken=latest</c>, up to 50 groups per query), then reads
/// the group, its members and its owners, emits the item and keeps a <see cref="GroupSnapshot"/> in collector state.
/// A re-run follows the kept delta link once for all groups that share it, applies the joiners, leavers, owner and
/// property changes to the snapshot, looks up only the added principals, and emits the same item a full read would.
/// Whenever that cannot be done whole (no or unusable state, a rejected link, a failed lookup) the group is read in
/// full instead: a half-applied delta is never emitted.
/// </para>
/// </summary>
internal sealed class GroupMembersArea : IEntraArea
{
    private static readonly string[] GroupSelect = ["id", .. GroupDelta.TrackedProperties];

    public string Kind => "entra.group-members";

    public bool IsConfigured(EntraIdSettings settings) => settings.Groups.Count > 0;

    public async Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        var fullReads = new List<(string GroupId, string Reason)>();
        var snapshots = new List<GroupSnapshot>();
        foreach (var groupId in scope.Settings.Groups)
        {
            var lookup = await GroupSnapshots.LoadAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            if (lookup.Snapshot is { } snapshot)
            {
                snapshots.Add(snapshot);
            }
            else
            {
                fullReads.Add((groupId, lookup.FullReadReason ?? "no saved state"));
            }
        }

        // Groups anchored together share a link: one round serves them all.
        foreach (var round in snapshots.GroupBy(s => s.DeltaLink, StringComparer.Ordinal))
        {
            fullReads.AddRange(await CollectByDeltaAsync(scope, round.Key, [.. round], cancellationToken).ConfigureAwait(false));
        }

        foreach (var chunk in fullReads.Chunk(GroupDelta.MaxGroupsPerQuery))
        {
            // Anchor first: a change made while the snapshots below are read still shows in the next round.
            var anchor = await AnchorAsync(scope, chunk.Select(c => c.GroupId), cancellationToken).ConfigureAwait(false);
            foreach (var (groupId, reason) in chunk)
            {
                try
                {
                    EntraLog.FullRead(scope.Logger, groupId, reason);
                    await CollectFullAsync(scope, groupId, reason, anchor, cancellationToken).ConfigureAwait(false);
                }
                catch (GraphCallException ex)
                {
                    await scope.ReportAsync(EntraSubjects.Group(groupId, null), Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Applies one delta round to the groups that share <paramref name="deltaLink"/>; returns the groups to read in full.</summary>
    private async Task<List<(string GroupId, string Reason)>> CollectByDeltaAsync(
        EntraJobScope scope,
        string deltaLink,
        IReadOnlyList<GroupSnapshot> snapshots,
        CancellationToken cancellationToken = default)
    {
        var fullReads = new List<(string GroupId, string Reason)>();
        var takenAt = scope.Time.GetUtcNow();
        GroupDeltaRound round;
        try
        {
            round = await GroupDelta.FollowAsync(scope, deltaLink, cancellationToken).ConfigureAwait(false);
        }
        catch (GraphCallException ex)
        {
            EntraLog.DeltaRoundFailed(scope.Logger, snapshots.Count, ex.Message);
            fullReads.AddRange(snapshots.Select(s => (s.GroupId, $"the delta round failed: {ex.Message}")));
            return fullReads;
        }

        var applicable = new List<(GroupSnapshot Snapshot, GroupChanges? Changes)>();
        foreach (var snapshot in snapshots)
        {
            var changes = round.Changes.GetValueOrDefault(snapshot.GroupId);
            if (changes?.Removed == true)
            {
                fullReads.Add((snapshot.GroupId, "the delta round reports the group deleted"));
            }
            else
            {
                applicable.Add((snapshot, changes));
            }
        }

        var added = applicable.SelectMany(a => a.Changes?.AddedIds ?? []).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var found = new Dictionary<string, DirectoryObject>(StringComparer.OrdinalIgnoreCase);
        if (added.Count > 0)
        {
            try
            {
                (found, _) = await PrincipalLookup.GetByIdsAsync(scope, added, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphCallException ex)
            {
                EntraLog.DeltaRoundFailed(scope.Logger, applicable.Count, ex.Message);
                fullReads.AddRange(applicable.Select(a => (a.Snapshot.GroupId, $"principals added since the last run could not be looked up: {ex.Message}")));
                return fullReads;
            }
        }

        foreach (var (snapshot, changes) in applicable)
        {
            var missing = changes?.AddedIds.Count(id => !found.ContainsKey(id)) ?? 0;
            if (missing > 0)
            {
                // Deleted between the round and the lookup, or not visible: only a full read says who is a member now.
                fullReads.Add((snapshot.GroupId, $"{missing} principals added since the last run were not returned by getByIds"));
                continue;
            }

            await EmitDeltaAsync(scope, snapshot, changes, found, round.DeltaLink, takenAt, cancellationToken).ConfigureAwait(false);
        }

        return fullReads;
    }

    private async Task EmitDeltaAsync(
        EntraJobScope scope,
        GroupSnapshot snapshot,
        GroupChanges? changes,
        Dictionary<string, DirectoryObject> found,
        string newLink,
        DateTimeOffset takenAt,
        CancellationToken cancellationToken = default)
    {
        var group = (JsonObject)snapshot.Group.DeepClone();
        foreach (var (property, value) in changes?.Properties ?? [])
        {
            SetGroupFact(group, property, value);
        }

        var (members, membersAdded, membersRemoved) = Apply(snapshot.Members, changes?.Members, found);
        var (owners, ownersAdded, ownersRemoved) = Apply(snapshot.Owners, changes?.Owners, found);
        var changed = (changes?.Properties.Keys ?? Enumerable.Empty<string>()).Where(p => !JsonNode.DeepEquals(snapshot.Group[p], group[p]));
        var facts = ItemFacts(group, members, owners, newLink, null);
        facts["readMode"] = "delta";
        facts["fullReadAt"] = Facts.Time(snapshot.FullReadAt);
        facts["changes"] = Facts.Object(
            ("membersAdded", membersAdded),
            ("membersRemoved", membersRemoved),
            ("ownersAdded", ownersAdded),
            ("ownersRemoved", ownersRemoved),
            ("groupProperties", Facts.SetOrEmpty(changed)));

        var lookedUp = (changes?.AddedIds ?? []).Distinct(StringComparer.OrdinalIgnoreCase).Select(id => found[id]).OrderBy(o => o.Id, StringComparer.Ordinal);
        var raw = new JsonObject
        {
            ["delta"] = changes?.Raw.DeepClone() ?? new JsonArray(),
            ["addedPrincipals"] = await GraphJson.ToArrayAsync(lookedUp, cancellationToken).ConfigureAwait(false),
        };
        await EmitAsync(scope, snapshot.GroupId, group, members.Count, owners.Count, facts, raw, cancellationToken).ConfigureAwait(false);
        EntraLog.DeltaApplied(scope.Logger, snapshot.GroupId, membersAdded + ownersAdded, membersRemoved + ownersRemoved);
        await GroupSnapshots.SaveAsync(
            scope,
            snapshot with { DeltaLink = newLink, TakenAt = takenAt, Group = group, Members = members, Owners = owners },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The relationship after the round, and how many were really added or removed (replays count nothing).</summary>
    private static (List<JsonObject> Result, int Added, int Removed) Apply(IReadOnlyList<JsonObject> before, RelationChanges? changes, Dictionary<string, DirectoryObject> found)
    {
        var byId = before.ToDictionary(p => (string)p["id"]!, p => p, StringComparer.OrdinalIgnoreCase);
        int added = 0, removed = 0;
        foreach (var id in changes?.Removed ?? [])
        {
            removed += byId.Remove(id) ? 1 : 0;
        }

        foreach (var id in changes?.Added.Keys ?? Enumerable.Empty<string>())
        {
            added += byId.ContainsKey(id) ? 0 : 1;
            byId[id] = EntraFacts.Principal(found[id]);
        }

        return ([.. byId.Values.OrderBy(p => (string?)p["id"], StringComparer.Ordinal)], added, removed);
    }

    private async Task CollectFullAsync(EntraJobScope scope, string groupId, string reason, Anchor anchor, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;
        var group = await GraphFailure.CallAsync(
            GraphOperations.Group,
            () => client.Groups[groupId].GetAsync(rc => rc.QueryParameters.Select = GroupSelect, cancellationToken),
            cancellationToken).ConfigureAwait(false) ?? throw new GraphCallException(GraphOperations.Group, 404, $"{GraphOperations.Group} returned no group.");

        var members = await GraphPager.ListAsync<DirectoryObject, DirectoryObjectCollectionResponse>(
            client,
            GraphOperations.GroupMembers,
            () => client.Groups[groupId].Members.GetAsync(
                rc =>
                {
                    rc.QueryParameters.Select = EntraFacts.PrincipalSelect;
                    rc.QueryParameters.Top = scope.Settings.PageSize;
                },
                cancellationToken),
            cancellationToken).ConfigureAwait(false);
        var owners = await GraphPager.ListAsync<DirectoryObject, DirectoryObjectCollectionResponse>(
            client,
            GraphOperations.GroupOwners,
            () => client.Groups[groupId].Owners.GetAsync(
                rc =>
                {
                    rc.QueryParameters.Select = EntraFacts.PrincipalSelect;
                    rc.QueryParameters.Top = scope.Settings.PageSize;
                },
                cancellationToken),
            cancellationToken).ConfigureAwait(false);

        var memberFacts = members.Select(EntraFacts.Principal).OrderBy(m => (string?)m["id"], StringComparer.Ordinal).ToList();
        var ownerFacts = owners.Select(EntraFacts.Principal).OrderBy(m => (string?)m["id"], StringComparer.Ordinal).ToList();
        var groupFacts = Facts.Object(
            ("id", group.Id ?? groupId),
            ("displayName", group.DisplayName),
            ("description", group.Description),
            ("securityEnabled", group.SecurityEnabled),
            ("mailEnabled", group.MailEnabled),
            ("isAssignableToRole", group.IsAssignableToRole),
            ("groupTypes", Facts.Set(group.GroupTypes)),
            ("membershipRule", group.MembershipRule));
        var facts = ItemFacts(groupFacts, memberFacts, ownerFacts, anchor.Link, anchor.Error);
        facts["readMode"] = "full";
        facts["fullReadAt"] = Facts.Time(anchor.TakenAt);
        facts["fullReadReason"] = reason;

        var raw = new JsonObject
        {
            ["group"] = await GraphJson.ToNodeAsync(group, cancellationToken).ConfigureAwait(false),
            ["members"] = await GraphJson.ToArrayAsync(members, cancellationToken).ConfigureAwait(false),
            ["owners"] = await GraphJson.ToArrayAsync(owners, cancellationToken).ConfigureAwait(false),
            ["delta"] = anchor.Raw?.DeepClone(),
        };
        await EmitAsync(scope, groupId, groupFacts, memberFacts.Count, ownerFacts.Count, facts, raw, cancellationToken).ConfigureAwait(false);

        if (anchor.Link is { } link)
        {
            var root = scope.Settings.BaseUrl.ToString().TrimEnd('/');
            await GroupSnapshots.SaveAsync(scope, new GroupSnapshot(groupId, root, link, anchor.TakenAt, anchor.TakenAt, groupFacts, memberFacts, ownerFacts), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The facts both read modes share, so a delta item has the same shape as a full one.</summary>
    private static JsonObject ItemFacts(JsonObject group, List<JsonObject> members, List<JsonObject> owners, string? deltaLink, string? deltaError) => Facts.Object(
        ("group", group.DeepClone()),
        ("members", Facts.Array(members.Select(m => m.DeepClone()))),
        ("owners", Facts.Array(owners.Select(o => o.DeepClone()))),
        ("memberCount", members.Count),
        ("ownerCount", owners.Count),
        ("deltaLink", deltaLink),
        ("deltaError", deltaError));

    private Task EmitAsync(EntraJobScope scope, string groupId, JsonObject group, int memberCount, int ownerCount, JsonObject facts, JsonObject raw, CancellationToken cancellationToken = default)
    {
        var displayName = (string?)group["displayName"];
        return scope.EmitAsync(
            Kind,
            EntraSubjects.Group(groupId, displayName),
            $"/groups/{groupId}/members",
            $"Group '{displayName ?? groupId}': {memberCount} members, {ownerCount} owners.",
            facts,
            raw,
            cancellationToken: cancellationToken);
    }

    /// <summary>Writes a group property the way the full read does: absent when null, <c>groupTypes</c> as a sorted set.</summary>
    private static void SetGroupFact(JsonObject group, string property, JsonNode? value)
    {
        JsonNode? fact = property == "groupTypes"
            ? Facts.Set((value as JsonArray)?.Select(v => v is JsonValue s && s.TryGetValue<string>(out var text) ? text : null))
            : value?.DeepClone();
        if (fact is null)
        {
            group.Remove(property);
        }
        else
        {
            group[property] = fact;
        }
    }

    /// <summary>A delta link anchored for a chunk of groups, when it was taken, or why there is none.</summary>
    private sealed record Anchor(string? Link, string? Error, JsonNode? Raw, DateTimeOffset TakenAt);

    /// <summary>The delta link is a convenience for later runs: failing to get one never fails the snapshot.</summary>
    private static async Task<Anchor> AnchorAsync(EntraJobScope scope, IEnumerable<string> groupIds, CancellationToken cancellationToken = default)
    {
        var takenAt = scope.Time.GetUtcNow();
        var url = GroupDelta.AnchorUrl(scope.Settings.BaseUrl, groupIds);
        try
        {
            var response = await GraphFailure.CallAsync(
                GraphOperations.GroupDelta,
                () => scope.Client.Groups.Delta.WithUrl(url).GetAsDeltaGetResponseAsync(cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
            var link = response?.OdataDeltaLink;
            if (string.IsNullOrEmpty(link) && response is not null)
            {
                // A service that pages even the anchor: follow it to the end, where the delta link is.
                var paging = await GraphPager.ForEachAsync<Group, GroupDeltaResponse>(
                    scope.Client,
                    GraphOperations.GroupDelta,
                    () => Task.FromResult<GroupDeltaResponse?>(response),
                    _ => Task.CompletedTask,
                    cancellationToken).ConfigureAwait(false);
                link = paging.DeltaLink;
            }

            var raw = await GraphJson.ToNodeAsync(response, cancellationToken).ConfigureAwait(false);
            return link is null
                ? new Anchor(null, $"{GraphOperations.GroupDelta} returned no @odata.deltaLink.", raw, takenAt)
                : GroupDelta.IsDeltaLinkOf(scope.Settings.BaseUrl, link)
                    ? new Anchor(link, null, raw, takenAt)
                    : new Anchor(null, $"{GraphOperations.GroupDelta} returned a delta link outside {scope.Settings.BaseUrl}.", raw, takenAt);
        }
        catch (GraphCallException ex)
        {
            return new Anchor(null, ex.Message, null, takenAt);
        }
    }
}
