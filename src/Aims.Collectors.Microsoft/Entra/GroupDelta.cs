using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>What following a delta link found: the changes per group and the link for the next round.</summary>
internal sealed record GroupDeltaRound(IReadOnlyDictionary<string, GroupChanges> Changes, string DeltaLink, int Pages);

/// <summary>
/// The group delta query the group-members area tracks its groups with: one query covers up to 50 groups (Graph's
/// limit on ids in a delta filter) and selects the group properties the item keeps plus the <c>members</c> and
/// <c>owners</c> relationships, so one round reports property changes, joiners and leavers, and owner changes.
/// </summary>
internal static class GroupDelta
{
    /// <summary>Graph accepts at most 50 ids in a <c>groups/delta</c> filter.</summary>
    public const int MaxGroupsPerQuery = 50;

    /// <summary>The group properties the item keeps; a delta round reports their new values.</summary>
    public static readonly string[] TrackedProperties = ["displayName", "description", "securityEnabled", "mailEnabled", "isAssignableToRole", "groupTypes", "membershipRule"];

    private static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new(StringComparer.OrdinalIgnoreCase)
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };

    /// <summary>
    /// The "sync from now" query for <paramref name="groupIds"/>: Graph answers with a delta link and no objects, so the
    /// next round reports only what changes after this moment.
    /// </summary>
    public static string AnchorUrl(Uri graphRoot, IEnumerable<string> groupIds)
    {
        var filter = string.Join(" or ", groupIds.Select(id => $"id eq {EntraFacts.Literal(id)}"));
        var select = string.Join(',', ["id", .. TrackedProperties, "members", "owners"]);
        return $"{graphRoot.ToString().TrimEnd('/')}/groups/delta?$filter={Uri.EscapeDataString(filter)}&$select={select}&$deltatoken=latest";
    }

    /// <summary>Whether <paramref name="link"/> is a groups/delta URL under <paramref name="graphRoot"/> (the token goes only there).</summary>
    public static bool IsDeltaLinkOf(Uri graphRoot, string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri)
        && uri.Scheme == Uri.UriSchemeHttps
        && string.Equals(uri.Authority, graphRoot.Authority, StringComparison.OrdinalIgnoreCase)
        && uri.AbsolutePath.StartsWith(graphRoot.AbsolutePath.TrimEnd('/') + "/groups/", StringComparison.OrdinalIgnoreCase)
        && uri.AbsolutePath.Contains("delta", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// Follows <paramref name="deltaLink"/> and every <c>@odata.nextLink</c> until a new <c>@odata.deltaLink</c>. Throws
    /// <see cref="GraphCallException"/> when Graph rejects the link (410 <c>syncStateNotFound</c>/<c>resyncRequired</c>,
    /// 400 on an expired token) or the round cannot be finished: a round is applied whole or not at all.
    /// </summary>
    public static async Task<GroupDeltaRound> FollowAsync(EntraJobScope scope, string deltaLink, CancellationToken cancellationToken = default)
    {
        var operation = GraphOperations.GroupDeltaRound;
        var changes = new Dictionary<string, GroupChanges>(StringComparer.OrdinalIgnoreCase);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var url = deltaLink;
        var pages = 0;
        while (true)
        {
            if (!IsDeltaLinkOf(scope.Settings.BaseUrl, url))
            {
                throw new GraphCallException(operation, null, $"{operation}: Graph returned a link outside {scope.Settings.BaseUrl}; it is not followed.");
            }

            if (!seen.Add(url))
            {
                throw new GraphCallException(operation, null, $"{operation}: Graph returned the same @odata.nextLink twice; the round was abandoned after {pages} pages.");
            }

            var page = await ReadPageAsync(scope, operation, url, cancellationToken).ConfigureAwait(false);
            pages++;
            foreach (var entry in (page["value"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (entry["id"] is JsonValue idValue && idValue.TryGetValue<string>(out var id) && id.Length > 0)
                {
                    if (!changes.TryGetValue(id, out var group))
                    {
                        changes[id] = group = new GroupChanges(id);
                    }

                    group.Merge(entry);
                }
            }

            if (LinkOf(page, "@odata.nextLink") is { } next)
            {
                url = next;
                continue;
            }

            return LinkOf(page, "@odata.deltaLink") is { } newLink
                ? new GroupDeltaRound(changes, newLink, pages)
                : throw new GraphCallException(operation, null, $"{operation} returned neither @odata.nextLink nor @odata.deltaLink.");
        }
    }

    /// <summary>
    /// One page as JSON: <c>members@delta</c> and <c>@removed</c> are annotations the SDK models keep only as untyped
    /// data, so the round reads Graph's JSON through the client's own adapter (same token, retries and handler).
    /// </summary>
    private static async Task<JsonObject> ReadPageAsync(EntraJobScope scope, GraphOperation operation, string url, CancellationToken cancellationToken = default)
    {
        var request = new RequestInformation { HttpMethod = Method.GET, URI = new Uri(url) };
        request.Headers.Add("Accept", "application/json");
        return await GraphFailure.CallAsync(
            operation,
            async () =>
            {
                var stream = await scope.Client.RequestAdapter.SendPrimitiveAsync<Stream>(request, ErrorMapping, cancellationToken).ConfigureAwait(false)
                    ?? throw new GraphCallException(operation, null, $"{operation} returned an empty body.");
                await using (stream.ConfigureAwait(false))
                {
                    return await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false) as JsonObject
                        ?? throw new JsonException("The body is not a JSON object.");
                }
            },
            cancellationToken).ConfigureAwait(false);
    }

    private static string? LinkOf(JsonObject page, string name) =>
        page[name] is JsonValue v && v.TryGetValue<string>(out var link) && link.Length > 0 ? link : null;
}
