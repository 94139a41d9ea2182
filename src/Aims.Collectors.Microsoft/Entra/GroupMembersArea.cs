using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Settings;
using Microsoft.Graph.Models;
using GroupDeltaResponse = Microsoft.Graph.Groups.Delta.DeltaGetResponse;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// <c>entra.group-members</c>: members and owners of each configured AI-governance group (A.3.2, A.4.6). Before the
/// snapshot it anchors a delta query (<c>$deltatoken=latest</c>) and keeps the returned <c>deltaLink</c> in the facts,
/// so a later run that is handed the link can fetch only membership changes made since this snapshot.
/// </summary>
internal sealed class GroupMembersArea : IEntraArea
{
    private static readonly string[] GroupSelect = ["id", "displayName", "description", "securityEnabled", "mailEnabled", "isAssignableToRole", "groupTypes", "membershipRule"];

    public string Kind => "entra.group-members";

    public bool IsConfigured(EntraIdSettings settings) => settings.Groups.Count > 0;

    public async Task CollectAsync(EntraJobScope scope, CancellationToken cancellationToken = default)
    {
        foreach (var groupId in scope.Settings.Groups)
        {
            try
            {
                await CollectGroupAsync(scope, groupId, cancellationToken).ConfigureAwait(false);
            }
            catch (GraphCallException ex)
            {
                await scope.ReportAsync(EntraSubjects.Group(groupId, null), Kind, ex, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task CollectGroupAsync(EntraJobScope scope, string groupId, CancellationToken cancellationToken = default)
    {
        var client = scope.Client;

        // Anchor first: a change made while the snapshot below is read then still shows in the next delta round.
        var (deltaLink, deltaError, deltaRaw) = await AnchorDeltaAsync(scope, groupId, cancellationToken).ConfigureAwait(false);

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
        var facts = Facts.Object(
            ("group", Facts.Object(
                ("id", group.Id ?? groupId),
                ("displayName", group.DisplayName),
                ("description", group.Description),
                ("securityEnabled", group.SecurityEnabled),
                ("mailEnabled", group.MailEnabled),
                ("isAssignableToRole", group.IsAssignableToRole),
                ("groupTypes", Facts.Set(group.GroupTypes)),
                ("membershipRule", group.MembershipRule))),
            ("members", Facts.Array(memberFacts)),
            ("owners", Facts.Array(ownerFacts)),
            ("memberCount", memberFacts.Count),
            ("ownerCount", ownerFacts.Count),
            ("deltaLink", deltaLink),
            ("deltaError", deltaError));

        var raw = new JsonObject
        {
            ["group"] = await GraphJson.ToNodeAsync(group, cancellationToken).ConfigureAwait(false),
            ["members"] = await GraphJson.ToArrayAsync(members, cancellationToken).ConfigureAwait(false),
            ["owners"] = await GraphJson.ToArrayAsync(owners, cancellationToken).ConfigureAwait(false),
            ["delta"] = deltaRaw,
        };
        var name = group.DisplayName ?? groupId;
        await scope.EmitAsync(
            Kind,
            EntraSubjects.Group(groupId, group.DisplayName),
            $"/groups/{groupId}/members",
            $"Group '{name}': {memberFacts.Count} members, {ownerFacts.Count} owners.",
            facts,
            raw,
            cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The delta link is a convenience for later runs: failing to get one never fails the snapshot.</summary>
    private static async Task<(string? Link, string? Error, JsonNode? Raw)> AnchorDeltaAsync(EntraJobScope scope, string groupId, CancellationToken cancellationToken = default)
    {
        var url = $"{scope.Settings.BaseUrl}/groups/delta?$filter={Uri.EscapeDataString($"id eq {EntraFacts.Literal(groupId)}")}&$select=id,displayName,members&$deltatoken=latest";
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

            return (link, link is null ? $"{GraphOperations.GroupDelta} returned no @odata.deltaLink." : null, await GraphJson.ToNodeAsync(response, cancellationToken).ConfigureAwait(false));
        }
        catch (GraphCallException ex)
        {
            return (null, ex.Message, null);
        }
    }
}
