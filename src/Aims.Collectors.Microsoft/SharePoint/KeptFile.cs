using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Documents;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

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
