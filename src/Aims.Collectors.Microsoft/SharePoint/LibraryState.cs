using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Collectors.Sources;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>
/// The kept state of one library (<c>collector-state/SharePoint/library.{hash}.json</c>): the site and drive it resolved
/// to, the delta link, when it was last read in full, and a <see cref="KeptFile"/> per file. State is an optimization:
/// anything missing, unreadable, of another format or of another configuration means a full read.
/// </summary>
internal sealed class LibraryState
{
    public const int Format = 1;

    public required string SiteId { get; init; }

    public required string DriveId { get; init; }

    public string? DeltaLink { get; set; }

    public DateTimeOffset FullReadAt { get; set; }

    public Dictionary<string, KeptFile> Files { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The drive's folders by id (delta pages name a file's parent folder by id only), and the root's id.</summary>
    public Dictionary<string, KeptFolder> Folders { get; init; } = new(StringComparer.Ordinal);

    public string? RootId { get; set; }

    /// <summary>A file's path inside the drive from its parent folder's id and its name; null while a folder of the chain is unknown.</summary>
    public string? PathOf(string? parentId, string name)
    {
        var segments = new List<string> { name };
        for (var id = parentId; id != RootId; id = Folders[id].ParentId)
        {
            if (id is null || !Folders.ContainsKey(id) || segments.Count > 64)
            {
                return null;
            }

            segments.Add(Folders[id].Name);
        }

        segments.Reverse();
        return string.Join('/', segments);
    }

    /// <summary>Whether the folder <paramref name="parentId"/> or one above it is in <paramref name="folders"/>.</summary>
    public bool IsUnder(string? parentId, IReadOnlySet<string> folders)
    {
        for (var (id, depth) = (parentId, 0); id is not null && id != RootId && depth < 64; depth++)
        {
            if (folders.Contains(id))
            {
                return true;
            }

            id = Folders.TryGetValue(id, out var folder) ? folder.ParentId : null;
        }

        return false;
    }

    /// <summary>The state key of a library: a hash of what identifies it in configuration, so renaming it starts afresh.</summary>
    public static string Key(Uri graphRoot, SharePointLibrary library)
    {
        var identity = $"{graphRoot}|{library.Site}|{library.Library}|{string.Join(',', library.Folders)}".ToLowerInvariant();
        return $"library.{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(identity)))[..24]}.json";
    }

    public static async Task<(LibraryState? State, string Reason)> LoadAsync(ICollectorState? store, string key, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (store is null)
        {
            return (null, "no collector state store");
        }

        try
        {
            var content = await store.OpenAsync(SharePointSource.SourceName, key, cancellationToken).ConfigureAwait(false);
            if (content is null)
            {
                return (null, "no saved state");
            }

            JsonNode? node;
            await using (content.ConfigureAwait(false))
            {
                node = await JsonNode.ParseAsync(content, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            if (node is not JsonObject root || (int?)root["format"] != Format)
            {
                return Unusable($"not state of format {Format}");
            }

            var state = new LibraryState
            {
                SiteId = (string?)root["siteId"] ?? throw new FormatException("siteId is missing"),
                DriveId = (string?)root["driveId"] ?? throw new FormatException("driveId is missing"),
                DeltaLink = (string?)root["deltaLink"],
                RootId = (string?)root["rootId"],
                FullReadAt = DateTimeOffset.Parse((string?)root["fullReadAt"] ?? throw new FormatException("fullReadAt is missing"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            };
            foreach (var (id, value) in root["files"] as JsonObject ?? [])
            {
                if (value is JsonObject file)
                {
                    state.Files[id] = new KeptFile(id, (string?)file["eTag"], (string?)file["cTag"], (string?)file["status"] ?? KeptFile.Failed, file["draft"] as JsonObject, (string?)file["parentId"], (string?)file["name"]);
                }
            }

            foreach (var (id, value) in root["folders"] as JsonObject ?? [])
            {
                if (value is JsonObject folder && (string?)folder["name"] is { } name)
                {
                    state.Folders[id] = new KeptFolder(name, (string?)folder["parentId"]);
                }
            }

            return (state, "");
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException or IOException)
        {
            return Unusable(ex.Message.Split('\n', 2)[0]);
        }

        (LibraryState?, string) Unusable(string reason)
        {
            SharePointLog.StateUnusable(logger, key, reason);
            return (null, $"the saved state is not usable ({reason})");
        }
    }

    public async Task SaveAsync(ICollectorState? store, string key, ILogger logger, CancellationToken cancellationToken = default)
    {
        if (store is null)
        {
            return;
        }

        var files = new JsonObject();
        foreach (var (id, file) in Files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            files[id] = new JsonObject { ["eTag"] = file.ETag, ["cTag"] = file.CTag, ["status"] = file.Status, ["parentId"] = file.ParentId, ["name"] = file.Name, ["draft"] = file.Draft?.DeepClone() };
        }

        var folders = new JsonObject();
        foreach (var (id, folder) in Folders.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            folders[id] = new JsonObject { ["name"] = folder.Name, ["parentId"] = folder.ParentId };
        }

        var root = new JsonObject
        {
            ["format"] = Format,
            ["siteId"] = SiteId,
            ["driveId"] = DriveId,
            ["deltaLink"] = DeltaLink,
            ["fullReadAt"] = CanonicalJson.Timestamp(FullReadAt),
            ["rootId"] = RootId,
            ["folders"] = folders,
            ["files"] = files,
        };
        try
        {
            using var content = new MemoryStream(Encoding.UTF8.GetBytes(root.ToJsonString()));
            await store.SaveAsync(SharePointSource.SourceName, key, content, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or Azure.RequestFailedException)
        {
            SharePointLog.StateNotSaved(logger, key, ex.Message.Split('\n', 2)[0]);
        }
    }
}
