using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Evidence.Catalog;
using Aims.Evidence.Requirements;
using YamlDotNet.RepresentationModel;

namespace Aims.Collectors.Documents;

/// <summary>
/// A governed document's metadata, from Markdown front matter or a sidecar file:
/// <c>type</c>, <c>title</c>, <c>controls</c>, <c>owner</c>, <c>approved-by</c>, <c>approved-on</c>, <c>review-due</c>,
/// and optionally <c>version</c> and <c>ai-systems</c>.
/// </summary>
public sealed record DocumentMetadata(
    string DocumentType,
    string Title,
    IReadOnlyList<string> Controls,
    string? Owner,
    string? ApprovedBy,
    DateTimeOffset? ApprovedOn,
    DateTimeOffset? ReviewDue,
    string? Version,
    IReadOnlyList<string> AiSystems)
{
    private static readonly string[] KnownKeys = ["type", "title", "controls", "owner", "approved-by", "approved-on", "review-due", "version", "ai-systems", "file"];

    /// <summary>Parses YAML metadata. Throws <see cref="DocumentMetadataException"/> naming the field and line.</summary>
    public static DocumentMetadata Parse(string yaml, int lineOffset = 0)
    {
        try
        {
            return ParseCore(yaml, lineOffset);
        }
        catch (DocumentMetadataException ex) when (ex.Controls.Count == 0 && GuessControls(yaml) is { Count: > 0 } controls)
        {
            // The error then stands for the controls the document meant to evidence, not for every document control.
            throw new DocumentMetadataException(ex.Message, ex.DocumentType, controls);
        }
    }

    private static DocumentMetadata ParseCore(string yaml, int lineOffset)
    {
        YamlStream stream;
        try
        {
            stream = YamlText.Load(new StringReader(yaml));
        }
        catch (YamlTextException ex)
        {
            throw new DocumentMetadataException($"line {ex.Line + lineOffset}, column {ex.Column}: not valid YAML ({ex.Reason})", GuessType(yaml));
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode map)
        {
            throw new DocumentMetadataException("the metadata must be a mapping of fields (key: value)", GuessType(yaml));
        }

        string Line(YamlNode n) => $"line {n.Start.Line + lineOffset}";
        var fields = new Dictionary<string, YamlNode>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in map.Children)
        {
            var key = (k as YamlScalarNode)?.Value ?? "";
            if (!KnownKeys.Contains(key, StringComparer.OrdinalIgnoreCase))
            {
                throw new DocumentMetadataException($"{Line(k)}: unknown field '{key}' (expected {string.Join(", ", KnownKeys)})", GuessType(yaml));
            }

            fields[key] = v;
        }

        var type = fields.TryGetValue("type", out var typeNode) && typeNode is YamlScalarNode ts && !string.IsNullOrWhiteSpace(ts.Value) ? ts.Value.Trim() : null;
        string? Scalar(string name) => fields.TryGetValue(name, out var n)
            ? n is YamlScalarNode s ? (string.IsNullOrWhiteSpace(s.Value) ? null : s.Value.Trim()) : throw new DocumentMetadataException($"{Line(n)}: '{name}' must be a single value", type)
            : null;
        IReadOnlyList<string> List(string name) => fields.TryGetValue(name, out var n)
            ? n switch
            {
                YamlScalarNode s when string.IsNullOrWhiteSpace(s.Value) => [],
                YamlScalarNode s => s.Value!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                YamlSequenceNode seq => seq.Select(e => (e as YamlScalarNode)?.Value?.Trim() ?? throw new DocumentMetadataException($"{Line(e)}: each entry of '{name}' must be a single value", type)).ToArray(),
                _ => throw new DocumentMetadataException($"{Line(n)}: '{name}' must be a list", type),
            }
            : [];
        DateTimeOffset? Date(string name)
        {
            var text = Scalar(name);
            if (text is null)
            {
                return null;
            }

            return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d)
                ? d.ToUniversalTime()
                : throw new DocumentMetadataException($"{Line(fields[name])}: '{name}' is '{text}', not a date (YYYY-MM-DD)", type);
        }

        if (type is null)
        {
            throw new DocumentMetadataException("'type' is required (e.g. ai-policy, impact-assessment, management-review)", null);
        }

        var controls = new List<string>();
        foreach (var c in List("controls"))
        {
            controls.Add(ControlCatalog.Default.Contains(c)
                ? ControlCatalog.Default.Normalize(c)
                : throw new DocumentMetadataException($"'controls' names '{c}', which is not an ISO/IEC 42001 Annex A control or clause record", type));
        }

        return new DocumentMetadata(type, Scalar("title") ?? "", controls, Scalar("owner"), Scalar("approved-by"), Date("approved-on"), Date("review-due"), Scalar("version"), List("ai-systems"));
    }

    public JsonObject ToFacts(string relativePath, long sizeBytes) => new()
    {
        ["documentType"] = DocumentType,
        ["title"] = Title,
        ["path"] = relativePath,
        ["sizeBytes"] = sizeBytes,
        ["owner"] = Owner,
        ["approvedBy"] = ApprovedBy,
        ["approvedOn"] = ApprovedOn?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["reviewDue"] = ReviewDue?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        ["version"] = Version,
        ["controls"] = new JsonArray(Controls.Select(c => (JsonNode?)JsonValue.Create(c)).ToArray()),
    };

    /// <summary>Best effort: the known controls named on a <c>controls:</c> line (<c>[A.2.2, 9.2]</c> or <c>A.2.2, 9.2</c>) of metadata that failed to parse.</summary>
    private static IReadOnlyList<string> GuessControls(string yaml)
    {
        foreach (var line in yaml.Split('\n'))
        {
            var t = line.Trim();
            if (t.StartsWith("controls:", StringComparison.OrdinalIgnoreCase))
            {
                return t[9..].Split([',', '[', ']', '"', '\'', ' '], StringSplitOptions.RemoveEmptyEntries)
                    .Where(ControlCatalog.Default.Contains)
                    .Select(ControlCatalog.Default.Normalize)
                    .Distinct(StringComparer.Ordinal)
                    .ToArray();
            }
        }

        return [];
    }

    /// <summary>Best effort: the <c>type:</c> line of metadata that failed to parse, so the error can be matched to its requirement.</summary>
    private static string? GuessType(string yaml)
    {
        foreach (var line in yaml.Split('\n'))
        {
            var t = line.Trim();
            if (t.StartsWith("type:", StringComparison.OrdinalIgnoreCase))
            {
                var value = t[5..].Trim().Trim('"', '\'');
                return value.Length is > 0 and < 80 && value.All(ch => char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_') ? value : null;
            }
        }

        return null;
    }
}

/// <summary>
/// A document's metadata is malformed. <see cref="DocumentType"/> and <see cref="Controls"/> carry the type and the
/// declared controls when they could still be read.
/// </summary>
public sealed class DocumentMetadataException(string message, string? documentType, IReadOnlyList<string>? controls = null) : Exception(message)
{
    public string? DocumentType { get; } = documentType;

    public IReadOnlyList<string> Controls { get; } = controls ?? [];
}
