using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Collectors.Documents;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>What a library's last read left: an item kept per file, so an unchanged document is observed again without a download.</summary>
/// <param name="Status"><c>document</c> (the draft can be emitted again), <c>skipped</c> (not a governed document, or outside the folders) or <c>failed</c> (read again next run).</param>
/// <param name="ParentId">The folder the file is in, so a renamed or moved folder re-reads what is under it.</param>
internal sealed record KeptFile(string ItemId, string? ETag, string? CTag, string Status, JsonObject? Draft, string? ParentId = null, string? Name = null)
{
    public const string Document = "document";
    public const string Skipped = "skipped";
    public const string Failed = "failed";

    /// <summary>The raw payload's address when the document's content is known.</summary>
    public string? Sha256 => Draft?["rawSha256"]?.GetValue<string>();

    public string? MediaType => Draft?["mediaType"]?.GetValue<string>();

    public long RawLength => Draft?["rawLength"]?.GetValue<long>() ?? 0;

    /// <summary>The front matter a Markdown document's metadata came from, so an unchanged file is not downloaded to read it again.</summary>
    public DocumentMetadata? FrontMatter => Draft?["frontMatter"] is JsonObject m
        ? new DocumentMetadata(
            (string)m["type"]!,
            (string?)m["title"] ?? "",
            Strings(m["controls"]),
            (string?)m["owner"],
            (string?)m["approvedBy"],
            Date(m["approvedOn"]),
            Date(m["reviewDue"]),
            (string?)m["version"],
            Strings(m["aiSystems"]))
        : null;

    /// <summary>Keeps everything needed to emit <paramref name="draft"/> again without reading the document.</summary>
    /// <param name="frontMatter">The metadata when it came from the document's front matter rather than from columns.</param>
    public static JsonObject Keep(EvidenceDraft draft, DocumentMetadata? frontMatter = null) => new()
    {
        ["frontMatter"] = frontMatter is null ? null : new JsonObject
        {
            ["type"] = frontMatter.DocumentType,
            ["title"] = frontMatter.Title,
            ["controls"] = new JsonArray(frontMatter.Controls.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
            ["owner"] = frontMatter.Owner,
            ["approvedBy"] = frontMatter.ApprovedBy,
            ["approvedOn"] = frontMatter.ApprovedOn is { } on ? CanonicalJson.Timestamp(on) : null,
            ["reviewDue"] = frontMatter.ReviewDue is { } due ? CanonicalJson.Timestamp(due) : null,
            ["version"] = frontMatter.Version,
            ["aiSystems"] = new JsonArray(frontMatter.AiSystems.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        },
        ["subjectId"] = draft.Subject.Id,
        ["title"] = draft.Subject.DisplayName,
        ["aiSystems"] = new JsonArray(draft.Subject.AiSystemIds.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        ["controls"] = new JsonArray(draft.Controls.Select(s => (JsonNode?)JsonValue.Create(s)).ToArray()),
        ["locator"] = draft.Locator,
        ["summary"] = draft.Summary,
        ["facts"] = draft.Facts.DeepClone(),
        ["evidenceDate"] = draft.EvidenceDate is { } d ? CanonicalJson.Timestamp(d) : null,
        ["rawSha256"] = draft.Raw?.Sha256,
        ["rawLength"] = draft.Raw?.Length,
        ["mediaType"] = draft.RawMediaType,
    };

    /// <summary>The kept draft, observed again: same facts, with how it was read this time.</summary>
    public EvidenceDraft Replay(string readMode)
    {
        var d = Draft ?? throw new InvalidOperationException("Only a kept document can be replayed.");
        var facts = (JsonObject)d["facts"]!.DeepClone();
        facts["readMode"] = readMode;
        return new EvidenceDraft
        {
            Kind = Aims.Evidence.EvidenceKinds.Document,
            Subject = new Subject("document", (string)d["subjectId"]!, (string)d["title"]!, Strings(d["aiSystems"])),
            Locator = (string)d["locator"]!,
            Summary = (string)d["summary"]!,
            Facts = facts,
            Controls = Strings(d["controls"]),
            EvidenceDate = Date(d["evidenceDate"]),
            Raw = new RawRef((string)d["rawSha256"]!, (long)d["rawLength"]!, WriteOutcome.AlreadyExists),
            RawMediaType = (string?)d["mediaType"],
        };
    }

    private static DateTimeOffset? Date(JsonNode? node) =>
        node is JsonValue v && DateTimeOffset.TryParse(v.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date) ? date : null;

    private static string[] Strings(JsonNode? node) => (node as JsonArray ?? []).Select(n => (string)n!).ToArray();
}

/// <summary>A folder of the drive as the delta feed last named it.</summary>
internal sealed record KeptFolder(string Name, string? ParentId);

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
