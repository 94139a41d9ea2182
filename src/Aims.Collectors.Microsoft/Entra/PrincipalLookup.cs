using Microsoft.Graph.DirectoryObjects.GetByIds;
using Microsoft.Graph.Models;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>
/// Looks up the members and owners a delta round added: Graph reports them by id and type only. One
/// <c>POST /directoryObjects/getByIds</c> resolves up to 1,000 ids of any type (users, groups, service principals,
/// devices, contacts) in one request; a <c>$batch</c> of per-object GETs would take one request per 20 ids and a
/// permission per object type. The <c>$select</c> is the members listing's, so a looked-up principal has the same
/// facts as a listed one (v1.0 otherwise returns only a default subset of user properties).
/// </summary>
internal static class PrincipalLookup
{
    /// <summary>Graph takes at most 1,000 ids per getByIds request.</summary>
    public const int MaxIdsPerRequest = 1000;

    public static async Task<(Dictionary<string, DirectoryObject> Found, List<DirectoryObject> Raw)> GetByIdsAsync(
        EntraJobScope scope,
        IReadOnlyCollection<string> ids,
        CancellationToken cancellationToken = default)
    {
        var found = new Dictionary<string, DirectoryObject>(StringComparer.OrdinalIgnoreCase);
        var raw = new List<DirectoryObject>();
        var url = $"{scope.Settings.BaseUrl.ToString().TrimEnd('/')}/directoryObjects/getByIds?$select={string.Join(',', EntraFacts.PrincipalSelect)}";
        foreach (var chunk in ids.Chunk(MaxIdsPerRequest))
        {
            var response = await GraphFailure.CallAsync(
                GraphOperations.DirectoryObjectsByIds,
                () => scope.Client.DirectoryObjects.GetByIds.WithUrl(url).PostAsGetByIdsPostResponseAsync(
                    new GetByIdsPostRequestBody { Ids = [.. chunk] },
                    cancellationToken: cancellationToken),
                cancellationToken).ConfigureAwait(false);
            foreach (var value in response?.Value ?? [])
            {
                if (value.Id is { } id)
                {
                    found[id] = value;
                    raw.Add(value);
                }
            }
        }

        return (found, raw);
    }
}
