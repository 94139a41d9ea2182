using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Evidence.Requirements;

/// <summary>Where a requirement, waiver or setting was declared: file and line, for error messages and the digest.</summary>
public sealed record SourceLocation(string File, int Line, int Column)
{
    public static SourceLocation BuiltIn { get; } = new("(built-in)", 0, 0);

    public override string ToString() => Line > 0 ? $"{File}:{Line}:{Column}" : File;
}

/// <summary>A check to run over each matching evidence item, with its parameters (e.g. <c>min: 2</c>).</summary>
public sealed record CheckSpec(string Name, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Parameter(string name) => Parameters.GetValueOrDefault(name);
}

/// <summary>
/// Which subjects a requirement covers: a subject type, the AI systems, and fact values the evidence must carry
/// (a fact matches when it equals the value, or, for an array fact, contains it; comparison ignores case).
/// </summary>
public sealed record RequirementScope(string? SubjectType, IReadOnlyDictionary<string, string> Facts, string? AiSystem)
{
    public static RequirementScope Any { get; } = new(null, new Dictionary<string, string>(), null);

    public bool Matches(EvidenceItem item)
    {
        if (SubjectType is not null && !string.Equals(SubjectType, item.Subject.Type, StringComparison.OrdinalIgnoreCase))
        {
            // A source-level failure (the whole source could not be read) concerns every subject of the kind.
            return item.IsCollectorError && item.Subject.Type == "source";
        }

        if (AiSystem is not null && !item.Subject.AiSystemIds.Contains(AiSystem, StringComparer.OrdinalIgnoreCase))
        {
            return item.IsCollectorError && item.Subject.Type == "source";
        }

        foreach (var (name, expected) in Facts)
        {
            if (!FactMatches(item.Facts[name], expected))
            {
                return item.IsCollectorError && item.Subject.Type == "source";
            }
        }

        return true;
    }

    private static bool FactMatches(JsonNode? fact, string expected) => fact switch
    {
        JsonArray array => array.Any(e => FactMatches(e, expected)),
        JsonValue v when v.TryGetValue<string>(out var s) => string.Equals(s, expected, StringComparison.OrdinalIgnoreCase),
        JsonValue v when v.TryGetValue<bool>(out var b) => string.Equals(b ? "true" : "false", expected, StringComparison.OrdinalIgnoreCase),
        JsonValue v => string.Equals(v.ToJsonString(), expected, StringComparison.OrdinalIgnoreCase),
        _ => false,
    };

    public override string ToString()
    {
        var parts = new List<string>();
        if (SubjectType is not null)
        {
            parts.Add(Plural.Noun(SubjectType));
        }

        parts.AddRange(Facts.Select(f => $"{f.Key}={f.Value}"));
        if (AiSystem is not null)
        {
            parts.Add($"AI system {AiSystem}");
        }

        return parts.Count == 0 ? "all subjects" : string.Join(", ", parts);
    }
}

/// <summary>An evidence requirement: which evidence, over which subjects, satisfies which controls, how fresh, owned by whom.</summary>
public sealed record Requirement
{
    public required string Id { get; init; }

    public required string Kind { get; init; }

    public required IReadOnlyList<string> Controls { get; init; }

    public required RequirementScope Scope { get; init; }

    public required IsoDuration Freshness { get; init; }

    public required string Owner { get; init; }

    public string? Description { get; init; }

    public IReadOnlyList<CheckSpec> Checks { get; init; } = [];

    public SourceLocation Location { get; init; } = SourceLocation.BuiltIn;
}

/// <summary>A decision that a requirement does not apply, with a reason and an expiry after which it applies again.</summary>
public sealed record Waiver(string RequirementId, string Reason, DateTimeOffset Expires, string? ApprovedBy, SourceLocation Location)
{
    public bool IsActive(DateTimeOffset asOf) => Expires > asOf;
}

/// <summary>
/// An organization's decision whether an Annex A control applies (ISO/IEC 42001 clause 6.1.3 d): included or excluded,
/// with its justification. An exclusion without a justification is reported as a finding in the Statement of Applicability.
/// </summary>
public sealed record ControlApplicability(string ControlId, bool Applicable, string? Justification, SourceLocation Location);
