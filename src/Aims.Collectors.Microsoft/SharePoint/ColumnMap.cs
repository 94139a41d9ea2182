using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Collectors.Documents;
using Aims.Evidence;
using Aims.Evidence.Catalog;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>
/// Which library column (by its internal name, as Graph returns it in a list item's <c>fields</c>) holds each field of
/// the product's document metadata. Every field has a default; a setting under <c>Columns</c> renames it, an empty
/// value leaves the field unmapped.
/// </summary>
internal sealed record ColumnMap(IReadOnlyDictionary<string, string?> Columns)
{
    /// <summary>Metadata field → default column. Names match the folder source's front-matter fields.</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["DocumentType"] = "DocumentType",
        ["Title"] = "Title",
        ["Owner"] = "DocumentOwner",
        ["ApprovedBy"] = "ApprovedBy",
        ["ApprovedOn"] = "ApprovalDate",
        ["ReviewDue"] = "ReviewDue",
        ["Version"] = "_UIVersionString",
        ["Controls"] = "Controls",
        ["AiSystems"] = "AiSystems",
    };

    /// <summary>SharePoint's content approval column: 0 approved, 1 rejected, 2 pending, 3 draft, 4 scheduled.</summary>
    public const string ModerationStatus = "_ModerationStatus";

    public string? this[string field] => Columns.GetValueOrDefault(field);

    public static ColumnMap Read(IConfigurationSection section)
    {
        var columns = new Dictionary<string, string?>(Defaults.ToDictionary(kv => kv.Key, kv => (string?)kv.Value), StringComparer.OrdinalIgnoreCase);
        foreach (var child in section.GetChildren())
        {
            if (!Defaults.ContainsKey(child.Key))
            {
                throw new InvalidSettingException(child.Path, $"'{child.Key}' is not a document field; map one of {string.Join(", ", Defaults.Keys)}.");
            }

            var value = child.Value?.Trim();
            if (!string.IsNullOrEmpty(value) && !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
            {
                throw new InvalidSettingException(child.Path, $"'{value}' is not a column's internal name (letters, digits, '_'; e.g. Review_x0020_Due).");
            }

            columns[child.Key] = string.IsNullOrEmpty(value) ? null : value;
        }

        return new ColumnMap(columns);
    }

    /// <summary>
    /// The document's metadata from its list item fields; null when the type column is empty (not a governed document).
    /// Throws <see cref="DocumentMetadataException"/> naming the column when a value cannot be used.
    /// </summary>
    /// <param name="unresolved">Columns that hold a person or lookup: Graph returns only a lookup id for them.</param>
    public DocumentMetadata? ToMetadata(JsonObject fields, List<string> unresolved)
    {
        var type = Text(fields, "DocumentType", unresolved);
        if (type is null)
        {
            return null;
        }

        var controls = new List<string>();
        foreach (var control in List(fields, "Controls", unresolved))
        {
            controls.Add(ControlCatalog.Default.Contains(control)
                ? ControlCatalog.Default.Normalize(control)
                : throw new DocumentMetadataException($"column '{this["Controls"]}' names '{control}', which is not an ISO/IEC 42001 Annex A control or clause record", type));
        }

        return new DocumentMetadata(
            type,
            Text(fields, "Title", unresolved) ?? "",
            controls,
            Text(fields, "Owner", unresolved),
            Text(fields, "ApprovedBy", unresolved),
            Date(fields, "ApprovedOn", type, unresolved),
            Date(fields, "ReviewDue", type, unresolved),
            Text(fields, "Version", unresolved),
            List(fields, "AiSystems", unresolved));
    }

    /// <summary>The content approval state when the library uses content approval; null when it does not.</summary>
    public static string? ApprovalStatus(JsonObject fields) => fields[ModerationStatus] switch
    {
        JsonValue v when v.TryGetValue<int>(out var n) => Moderation(n),
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => Moderation(n),
        _ => null,
    };

    private static string Moderation(int status) => status switch
    {
        0 => "approved",
        1 => "rejected",
        2 => "pending",
        3 => "draft",
        4 => "scheduled",
        _ => $"unknown ({status})",
    };

    private string? Text(JsonObject fields, string field, List<string> unresolved)
    {
        var column = this[field];
        if (column is null)
        {
            return null;
        }

        switch (fields[column])
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>().Trim();
                return text.Length == 0 ? null : text;
            case JsonValue value when value.GetValueKind() is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                return value.ToJsonString();
            case JsonObject lookup when lookup["LookupValue"] is JsonValue lv && lv.TryGetValue<string>(out var shown):
                return shown;
            case null when fields.ContainsKey(column + "LookupId"):
                unresolved.Add(column);
                return null;
            case null:
                return null;
            default:
                throw new DocumentMetadataException($"column '{column}' holds {fields[column]!.GetValueKind()}, not a single value", null);
        }
    }

    private IReadOnlyList<string> List(JsonObject fields, string field, List<string> unresolved)
    {
        var column = this[field];
        if (column is null)
        {
            return [];
        }

        return fields[column] switch
        {
            JsonArray array => array.Select(e => e is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : e is JsonObject o && o["LookupValue"] is JsonValue lv ? lv.ToString() : null)
                .Where(s => !string.IsNullOrEmpty(s)).Select(s => s!).ToArray(),
            _ => (Text(fields, field, unresolved) ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
        };
    }

    private DateTimeOffset? Date(JsonObject fields, string field, string type, List<string> unresolved)
    {
        var text = Text(fields, field, unresolved);
        if (text is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var date)
            ? date
            : throw new DocumentMetadataException($"column '{this[field]}' is '{text}', not a date", type);
    }
}
