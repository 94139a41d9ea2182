using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Microsoft.AspNetCore.Http;

namespace Aims.Collectors.Microsoft.Tests.SharePoint;

/// <summary>One file of the fake library: its content, folder, list item fields and versions.</summary>
public sealed class FakeFile(string id, string listItemId, string folder, string name, byte[] content)
{
    public string Id { get; } = id;

    public string ListItemId { get; } = listItemId;

    public string Folder { get; set; } = folder;

    public string Name { get; set; } = name;

    public byte[] Content { get; set; } = content;

    public JsonObject Fields { get; set; } = [];

    /// <summary>Version entries (newest first) as Graph's listItemVersion resources.</summary>
    public JsonArray Versions { get; set; } = [];

    public int ContentVersion { get; set; } = 1;

    public int MetadataVersion { get; set; } = 1;

    public bool Deleted { get; set; }

    /// <summary>The change sequence this file last changed at (what a delta token compares against).</summary>
    public int ChangedAt { get; set; }

    public string ETag => $"\"{{{Id}}},{MetadataVersion + ContentVersion}\"";

    public string CTag => $"\"c:{{{Id}}},{ContentVersion}\"";
}

/// <summary>
/// A SharePoint site with document libraries behind a fake Graph, answering with the shapes of the Graph v1.0
/// reference examples: site by path, drives, driveItem delta (paged by nextLink, ending in a deltaLink; deleted items
/// with the <c>deleted</c> facet), driveItems with <c>listItem($expand=fields)</c>, the drive's list, list item
/// versions, and content by a 302 redirect to a download URL. Tests change files and run again.
/// </summary>
public sealed class FakeSharePoint
{
    public const string Host = "contoso.sharepoint.com";
    public const string SitePath = "/sites/ai-governance";
    public const string SiteUrl = $"https://{Host}{SitePath}";
    public const string SiteId = "contoso.sharepoint.com,2C712604-1370-44E7-A1F5-426573FDA80A,2D2244C3-251A-49EA-93A8-39E1C3A060FE";
    public const string DriveId = "b!BCZxLHATl0Sh9UJlc_2oCsNEIi1JJepKkzo54cOgYP6PZ0yQbRahQ5pdd7rCc9nd";
    public const string OtherDriveId = "b!BCZxLHATl0Sh9UJlc_2oCsNEIi1JJepKkzo54cOgYP5mKGqZKvGKR7c6dDcRTsUC";
    public const string ListId = "904c678f-166d-43a1-9a5d-77bac273d9dd";
    public const string V = "/v1.0";

    private readonly Dictionary<string, FakeFile> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Name, int ChangedAt)> _folders = new(StringComparer.Ordinal)
    {
        ["01FOLDERPOLICIES"] = ("Policies", 1),
        ["01FOLDERASSESSMENTS"] = ("Assessments", 1),
        ["01FOLDERDRAFTS"] = ("Drafts", 1),
    };
    private int _sequence = 1;

    public FakeSharePoint(FakeApi api)
    {
        Api = api;
    }

    public FakeApi Api { get; }

    /// <summary>Where content requests redirect to (another host name, as SharePoint's download URLs are); default the fake's root.</summary>
    public string? DownloadRoot { get; set; }

    /// <summary>How many entries one delta page holds (small, so runs page).</summary>
    public int PageSize { get; set; } = 2;

    public IReadOnlyCollection<FakeFile> Files => _files.Values;

    /// <summary>When set, every delta token is answered 410 <c>resyncRequired</c>, as Graph does when it cannot serve changes since it.</summary>
    public bool RefuseDeltaTokens { get; set; }

    public FakeFile File(string id) => _files[id];

    public static string DrivePath(string driveId) => $"{V}/drives/{driveId}";

    public FakeFile Add(string id, string folder, string name, string content, JsonObject? fields = null) =>
        Add(id, folder, name, Encoding.UTF8.GetBytes(content), fields);

    public FakeFile Add(string id, string folder, string name, byte[] content, JsonObject? fields = null)
    {
        var file = new FakeFile(id, (_files.Count + 1).ToString(CultureInfo.InvariantCulture), folder, name, content) { Fields = fields ?? [], ChangedAt = ++_sequence };
        _files[id] = file;
        return file;
    }

    /// <summary>Changes a file's content (new cTag and eTag), as an upload of a new version does.</summary>
    public void ChangeContent(string id, string content)
    {
        var file = _files[id];
        file.Content = Encoding.UTF8.GetBytes(content);
        file.ContentVersion++;
        file.ChangedAt = ++_sequence;
    }

    /// <summary>Changes a list item column (new eTag, same cTag), as editing the library's properties does.</summary>
    public void ChangeField(string id, string column, JsonNode? value)
    {
        var file = _files[id];
        file.Fields[column] = value;
        file.MetadataVersion++;
        file.ChangedAt = ++_sequence;
    }

    /// <summary>Renames a folder: the delta feed reports the folder, not the files in it (their paths change all the same).</summary>
    public void RenameFolder(string name, string newName)
    {
        var id = FolderId(name);
        _folders[id] = (newName, ++_sequence);
        foreach (var file in _files.Values.Where(f => f.Folder == name))
        {
            file.Folder = newName;
        }
    }

    private string FolderId(string name) => _folders.Single(f => f.Value.Name == name).Key;

    public void Delete(string id)
    {
        _files[id].Deleted = true;
        _files[id].ChangedAt = ++_sequence;
    }

    public FakeSharePoint Map()
    {
        // Later routes win: the catch-all item route first, the delta routes under it after.
        Api.On("GET", $"{DrivePath(DriveId)}/items/*", ItemAsync)
            .On("GET", $"{V}/sites/{Host}:{SitePath}", context => Api.WriteJsonAsync(context, Site()))
            .On("GET", $"{V}/sites/{SiteId}", context => Api.WriteJsonAsync(context, Site()))
            .On("GET", $"{V}/sites/{SiteId}/drives", context => Api.WriteJsonAsync(context, Drives()))
            .On("GET", $"{DrivePath(DriveId)}/items/root/delta*", DeltaAsync)
            .On("GET", $"{DrivePath(DriveId)}/root/delta", DeltaAsync)
            .On("GET", $"{DrivePath(DriveId)}/list", context => Api.WriteJsonAsync(context, $$"""{ "@odata.context": "{root}/v1.0/$metadata#drives('{{DriveId}}')/list(id)/$entity", "id": "{{ListId}}" }"""))
            .On("GET", $"{V}/sites/{SiteId}/lists/{ListId}/items/*", VersionsAsync)
            .On("GET", "/download/*", DownloadAsync);
        return this;
    }

    private static string Site() => $$"""
        {
          "@odata.context": "{root}/v1.0/$metadata#sites(id,webUrl,displayName)/$entity",
          "id": "{{SiteId}}",
          "displayName": "AI Governance",
          "webUrl": "{{SiteUrl}}"
        }
        """;

    private static string Drives() => $$"""
        {
          "@odata.context": "{root}/v1.0/$metadata#drives(id,name,webUrl,driveType)",
          "value": [
            { "id": "{{DriveId}}", "name": "Governance Documents", "driveType": "documentLibrary", "webUrl": "{{SiteUrl}}/Governance%20Documents" },
            { "id": "{{OtherDriveId}}", "name": "Site Assets", "driveType": "documentLibrary", "webUrl": "{{SiteUrl}}/SiteAssets" }
          ]
        }
        """;

    /// <summary>
    /// The drive's delta feed: without a token every folder and file (a full enumeration), with one what changed after
    /// it, deleted items included; <see cref="PageSize"/> entries a page, then a deltaLink carrying the current token.
    /// </summary>
    private Task DeltaAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var since = int.TryParse(query["token"], out var t) ? t : (int?)null;
        if (since is not null && RefuseDeltaTokens)
        {
            return Api.WriteJsonAsync(context, """{"error":{"code":"resyncRequired","message":"Resync required. Replace any local items with the server's version."}}""", 410);
        }

        var page = int.TryParse(query["page"], out var p) ? p : 0;
        var entries = new List<JsonObject>();
        if (since is null)
        {
            entries.Add(new JsonObject { ["id"] = "01ROOT", ["name"] = "root", ["root"] = new JsonObject(), ["folder"] = new JsonObject { ["childCount"] = _folders.Count } });
        }

        entries.AddRange(_folders.Where(f => since is null || f.Value.ChangedAt > since).OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new JsonObject
        {
            ["id"] = f.Key,
            ["name"] = f.Value.Name,
            ["folder"] = new JsonObject { ["childCount"] = _files.Values.Count(x => x.Folder == f.Value.Name && !x.Deleted) },
            ["parentReference"] = new JsonObject { ["driveId"] = DriveId, ["id"] = "01ROOT" },
        }));

        foreach (var file in _files.Values.OrderBy(f => f.Id, StringComparer.Ordinal))
        {
            if (since is null ? file.Deleted : file.ChangedAt <= since)
            {
                continue;
            }

            entries.Add(file.Deleted
                ? new JsonObject { ["id"] = file.Id, ["deleted"] = new JsonObject { ["state"] = "deleted" }, ["parentReference"] = new JsonObject { ["driveId"] = DriveId, ["id"] = "01ROOT" } }
                : new JsonObject
                {
                    ["id"] = file.Id,
                    ["name"] = file.Name,
                    ["eTag"] = file.ETag,
                    ["cTag"] = file.CTag,
                    ["size"] = file.Content.Length,
                    ["file"] = new JsonObject { ["mimeType"] = "application/octet-stream" },
                    ["parentReference"] = new JsonObject { ["driveId"] = DriveId, ["id"] = FolderId(file.Folder) },
                });
        }

        var slice = entries.Skip(page * PageSize).Take(PageSize).ToList();
        var body = new JsonObject
        {
            ["@odata.context"] = "{root}/v1.0/$metadata#Collection(driveItem)",
            ["value"] = new JsonArray(slice.Select(e => (JsonNode?)e).ToArray()),
        };
        var token = since?.ToString(CultureInfo.InvariantCulture) ?? "";
        if ((page + 1) * PageSize < entries.Count)
        {
            body["@odata.nextLink"] = $"{{root}}{DrivePath(DriveId)}/root/delta?token={token}&page={page + 1}";
        }
        else
        {
            body["@odata.deltaLink"] = $"{{root}}{DrivePath(DriveId)}/root/delta?token={_sequence}";
        }

        return Api.WriteJsonAsync(context, body.ToJsonString());
    }

    private Task ItemAsync(HttpContext context)
    {
        var rest = context.Request.Path.Value![$"{DrivePath(DriveId)}/items/".Length..];
        var parts = rest.Split('/');
        if (!_files.TryGetValue(parts[0], out var file) || file.Deleted)
        {
            return Api.WriteJsonAsync(context, """{"error":{"code":"itemNotFound","message":"The resource could not be found."}}""", 404);
        }

        if (parts.Length == 2 && parts[1] == "content")
        {
            // Graph answers a content request with a redirect to a pre-authenticated download URL.
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = $"{DownloadRoot ?? Api.Root}/download/{file.Id}?v={file.ContentVersion}";
            return Task.CompletedTask;
        }

        return Api.WriteJsonAsync(context, Item(file).ToJsonString());
    }

    public JsonObject Item(FakeFile file)
    {
        var fields = (JsonObject)file.Fields.DeepClone();
        fields["@odata.etag"] = file.ETag;
        fields["id"] = file.ListItemId;
        fields["FileLeafRef"] = file.Name;
        var webUrl = file.Name.EndsWith(".docx", StringComparison.OrdinalIgnoreCase)
            ? $"{SiteUrl}/_layouts/15/Doc.aspx?sourcedoc=%7B{file.Id}%7D&file={Uri.EscapeDataString(file.Name)}&action=default&mobileredirect=true"
            : $"{SiteUrl}/Governance%20Documents/{Uri.EscapeDataString(file.Folder)}/{Uri.EscapeDataString(file.Name)}";
        return new JsonObject
        {
            ["@odata.context"] = "{root}/v1.0/$metadata#drives('" + DriveId + "')/items/$entity",
            ["id"] = file.Id,
            ["name"] = file.Name,
            ["eTag"] = file.ETag,
            ["cTag"] = file.CTag,
            ["size"] = file.Content.Length,
            ["webUrl"] = webUrl,
            ["createdDateTime"] = "2026-01-12T09:30:00Z",
            ["lastModifiedDateTime"] = "2026-03-10T16:05:00Z",
            ["createdBy"] = new JsonObject { ["user"] = new JsonObject { ["email"] = "MeganB@contoso.com", ["id"] = "1800bb2c-955d-4205-8471-3a6c3116435d", ["displayName"] = "Megan Bowen" } },
            ["lastModifiedBy"] = new JsonObject { ["user"] = new JsonObject { ["email"] = "AdeleV@contoso.com", ["id"] = "87d349ed-44d7-43e1-9a83-5f2406dee5bd", ["displayName"] = "Adele Vance" } },
            ["parentReference"] = new JsonObject
            {
                ["driveType"] = "documentLibrary",
                ["driveId"] = DriveId,
                ["id"] = FolderId(file.Folder),
                ["path"] = $"/drives/{DriveId}/root:/{Uri.EscapeDataString(file.Folder)}",
                ["siteId"] = SiteId,
            },
            ["file"] = new JsonObject
            {
                ["mimeType"] = "application/octet-stream",
                ["hashes"] = new JsonObject { ["quickXorHash"] = Convert.ToBase64String(System.Security.Cryptography.SHA1.HashData(file.Content))[..27] + "=" },
            },
            ["listItem"] = new JsonObject
            {
                ["@odata.etag"] = file.ETag,
                ["id"] = file.ListItemId,
                ["fields@odata.context"] = "{root}/v1.0/$metadata#drives('" + DriveId + "')/items('" + file.Id + "')/listItem/fields/$entity",
                ["fields"] = fields,
            },
        };
    }

    private Task VersionsAsync(HttpContext context)
    {
        var rest = context.Request.Path.Value![$"{V}/sites/{SiteId}/lists/{ListId}/items/".Length..].Split('/');
        var file = _files.Values.FirstOrDefault(f => f.ListItemId == rest[0]);
        if (file is null || rest.Length != 2 || rest[1] != "versions")
        {
            return Api.WriteJsonAsync(context, """{"error":{"code":"itemNotFound","message":"The resource could not be found."}}""", 404);
        }

        var body = new JsonObject { ["@odata.context"] = "{root}/v1.0/$metadata#listItemVersions", ["value"] = file.Versions.DeepClone() };
        return Api.WriteJsonAsync(context, body.ToJsonString());
    }

    private async Task DownloadAsync(HttpContext context)
    {
        var id = context.Request.Path.Value!["/download/".Length..];
        if (!_files.TryGetValue(id, out var file))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/octet-stream";
        await context.Response.Body.WriteAsync(file.Content);
    }

    /// <summary>A listItemVersion as the reference shows it, with the version's content approval state.</summary>
    public static JsonObject Version(string label, string modifiedAt, string by, int moderationStatus) => new()
    {
        ["id"] = label,
        ["lastModifiedDateTime"] = modifiedAt,
        ["lastModifiedBy"] = new JsonObject { ["user"] = new JsonObject { ["displayName"] = by } },
        ["fields"] = new JsonObject { ["_ModerationStatus"] = moderationStatus, ["_UIVersionString"] = label },
    };
}
