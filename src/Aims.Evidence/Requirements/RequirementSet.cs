using System.Globalization;
using System.Reflection;
using Aims.Evidence.Catalog;
using Aims.Evidence.Checks;
using YamlDotNet.RepresentationModel;

namespace Aims.Evidence.Requirements;

/// <summary>
/// The effective evidence requirements: the shipped defaults, overridden and extended by an organization's file.
/// An organization file may redefine a default by reusing its id, drop defaults with <c>disable</c>, start from
/// nothing with <c>useDefaults: false</c>, declare <c>waivers</c>, and state each control's <c>applicability</c> for the
/// Statement of Applicability (clause 6.1.3).
/// </summary>
public sealed class RequirementSet
{
    private static readonly string[] RootKeys = ["requirements", "waivers", "disable", "useDefaults", "applicability"];
    private static readonly string[] ApplicabilityKeys = ["control", "applicable", "justification"];
    private static readonly string[] RequirementKeys = ["id", "kind", "controls", "scope", "freshness", "owner", "description", "check", "checks"];
    private static readonly string[] ScopeKeys = ["subjectType", "facts", "aiSystem"];
    private static readonly string[] WaiverKeys = ["requirement", "reason", "expires", "approvedBy"];

    public RequirementSet(IReadOnlyList<Requirement> requirements, IReadOnlyList<Waiver> waivers, IReadOnlyList<ControlApplicability>? applicability = null)
    {
        Requirements = requirements;
        Waivers = waivers;
        Applicability = applicability ?? [];
    }

    /// <summary>The organization's applicability decisions, one per control it states (others are applicable by default).</summary>
    public IReadOnlyList<ControlApplicability> Applicability { get; }

    /// <summary>The stated decision for a control, or null when the file says nothing about it.</summary>
    public ControlApplicability? ApplicabilityOf(string controlId) =>
        Applicability.FirstOrDefault(a => string.Equals(a.ControlId, controlId, StringComparison.OrdinalIgnoreCase));

    public IReadOnlyList<Requirement> Requirements { get; }

    public IReadOnlyList<Waiver> Waivers { get; }

    public const string DefaultFileName = "requirements.default.yaml";

    /// <summary>The shipped default requirements.</summary>
    public static RequirementSet LoadDefaults(CheckRegistry? checks = null)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Aims.Evidence.Requirements.requirements.default.yaml")
            ?? throw new InvalidOperationException("The default requirements resource is missing from Aims.Evidence.");
        using var reader = new StreamReader(stream);
        var file = Parse(reader, DefaultFileName, checks ?? CheckRegistry.Default);
        return new RequirementSet(file.Requirements, file.Waivers);
    }

    /// <summary>Defaults merged with the organization's file at <paramref name="path"/> (when given).</summary>
    public static RequirementSet Load(string? path, CheckRegistry? checks = null)
    {
        checks ??= CheckRegistry.Default;
        var defaults = LoadDefaults(checks);
        if (path is null)
        {
            return defaults;
        }

        if (!File.Exists(path))
        {
            throw new RequirementsException(new SourceLocation(path, 0, 0), "the requirements file does not exist.");
        }

        using var reader = new StreamReader(path);
        var org = Parse(reader, path, checks);
        var merged = new List<Requirement>();
        if (org.UseDefaults)
        {
            var replaced = org.Requirements.Select(r => r.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var (id, node) in org.Disabled)
            {
                if (!defaults.Requirements.Any(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase)))
                {
                    throw new RequirementsException(node, $"'disable' names '{id}', which is not a default requirement.");
                }
            }

            var disabled = org.Disabled.Select(d => d.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
            merged.AddRange(defaults.Requirements.Where(r => !replaced.Contains(r.Id) && !disabled.Contains(r.Id)));
        }

        merged.AddRange(org.Requirements);
        var ids = merged.Select(r => r.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var w in org.Waivers.Where(w => !ids.Contains(w.RequirementId)))
        {
            throw new RequirementsException(w.Location, $"waiver names requirement '{w.RequirementId}', which does not exist.");
        }

        return new RequirementSet(merged, [.. defaults.Waivers, .. org.Waivers], org.Applicability);
    }

    public IEnumerable<Requirement> ForControl(string controlId) =>
        Requirements.Where(r => r.Controls.Contains(controlId, StringComparer.OrdinalIgnoreCase));

    public Waiver? ActiveWaiver(string requirementId, DateTimeOffset asOf) =>
        Waivers.Where(w => string.Equals(w.RequirementId, requirementId, StringComparison.OrdinalIgnoreCase) && w.IsActive(asOf))
            .OrderByDescending(w => w.Expires).FirstOrDefault();

    private sealed record ParsedFile(List<Requirement> Requirements, List<Waiver> Waivers, List<(string Id, SourceLocation Node)> Disabled, bool UseDefaults, List<ControlApplicability> Applicability);

    private static ParsedFile Parse(TextReader text, string file, CheckRegistry checks)
    {
        var yaml = new YamlReader(file);
        var root = yaml.LoadRoot(text);
        yaml.RejectUnknownKeys(root, RootKeys);
        var requirements = new List<Requirement>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in yaml.Sequence(root, "requirements"))
        {
            var requirement = ParseRequirement(yaml, node, checks);
            if (seen.TryGetValue(requirement.Id, out var first))
            {
                throw yaml.Error(node, $"duplicate requirement id '{requirement.Id}' (first declared at {first}).");
            }

            seen[requirement.Id] = requirement.Location;
            requirements.Add(requirement);
        }

        var waivers = yaml.Sequence(root, "waivers").Select(n => ParseWaiver(yaml, n)).ToList();
        var disabled = yaml.List(root, "disable").Select(d => (d.Value, yaml.At(d.Node))).ToList();
        var useDefaultsText = yaml.Scalar(root, "useDefaults");
        var useDefaults = useDefaultsText is null || (bool.TryParse(useDefaultsText, out var b)
            ? b
            : throw yaml.Error(yaml.Child(root, "useDefaults")!, $"'useDefaults' must be true or false, not '{useDefaultsText}'."));
        var applicability = new List<ControlApplicability>();
        foreach (var node in yaml.Sequence(root, "applicability"))
        {
            var decision = ParseApplicability(yaml, node);
            if (applicability.FirstOrDefault(a => a.ControlId == decision.ControlId) is { } first)
            {
                throw yaml.Error(node, $"applicability of control '{decision.ControlId}' is stated twice (first at {first.Location}).");
            }

            applicability.Add(decision);
        }

        return new ParsedFile(requirements, waivers, disabled, useDefaults, applicability);
    }

    private static Requirement ParseRequirement(YamlReader yaml, YamlMappingNode node, CheckRegistry checks)
    {
        yaml.RejectUnknownKeys(node, RequirementKeys);
        var id = yaml.Scalar(node, "id", required: true)!;
        if (!id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_'))
        {
            throw yaml.Error(node, $"requirement id '{id}' may use only letters, digits, '-', '_' and '.'.");
        }

        var kind = yaml.Scalar(node, "kind", required: true)!;
        if (!EvidenceKinds.IsKnown(kind) || kind == EvidenceKinds.CollectorError)
        {
            throw yaml.Error(yaml.Child(node, "kind")!, $"requirement '{id}': unknown evidence kind '{kind}'.");
        }

        var controls = new List<string>();
        foreach (var (control, controlNode) in yaml.List(node, "controls", required: true))
        {
            if (!ControlCatalog.Default.Contains(control))
            {
                throw yaml.Error(controlNode, $"requirement '{id}': unknown control '{control}' (not an Annex A control or clause record of ISO/IEC 42001).");
            }

            controls.Add(ControlCatalog.Default.Normalize(control));
        }

        var freshnessText = yaml.Scalar(node, "freshness", required: true)!;
        if (!IsoDuration.TryParse(freshnessText, out var freshness))
        {
            throw yaml.Error(yaml.Child(node, "freshness")!, $"requirement '{id}': freshness '{freshnessText}' is not an ISO 8601 duration (e.g. P90D, P1Y, P6M).");
        }

        var owner = yaml.Scalar(node, "owner", required: true)!;
        var scope = RequirementScope.Any;
        if (yaml.Mapping(node, "scope") is { } scopeNode)
        {
            yaml.RejectUnknownKeys(scopeNode, ScopeKeys);
            var facts = new Dictionary<string, string>(StringComparer.Ordinal);
            if (yaml.Mapping(scopeNode, "facts") is { } factsNode)
            {
                foreach (var (k, v) in factsNode.Children)
                {
                    facts[((YamlScalarNode)k).Value!] = v is YamlScalarNode sv ? sv.Value ?? "" : throw yaml.Error(v, "scope facts must be single values.");
                }
            }

            scope = new RequirementScope(yaml.Scalar(scopeNode, "subjectType"), facts, yaml.Scalar(scopeNode, "aiSystem"));
        }

        var specs = new List<CheckSpec>();
        foreach (var key in new[] { "check", "checks" })
        {
            switch (yaml.Child(node, key))
            {
                case null:
                    break;
                case YamlSequenceNode seq:
                    specs.AddRange(seq.Select(e => ParseCheck(yaml, e, id, checks)));
                    break;
                case var single:
                    specs.Add(ParseCheck(yaml, single, id, checks));
                    break;
            }
        }

        return new Requirement
        {
            Id = id,
            Kind = kind,
            Controls = controls,
            Scope = scope,
            Freshness = freshness,
            Owner = owner,
            Description = yaml.Scalar(node, "description"),
            Checks = specs,
            Location = yaml.At(node),
        };
    }

    private static CheckSpec ParseCheck(YamlReader yaml, YamlNode node, string requirementId, CheckRegistry checks)
    {
        string name;
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        switch (node)
        {
            case YamlScalarNode s:
                name = s.Value ?? "";
                break;
            case YamlMappingNode m:
                name = yaml.Scalar(m, "name", required: true)!;
                foreach (var (k, v) in m.Children)
                {
                    var key = ((YamlScalarNode)k).Value!;
                    if (key == "name")
                    {
                        continue;
                    }

                    parameters[key] = v is YamlScalarNode sv ? sv.Value ?? "" : throw yaml.Error(v, $"check parameter '{key}' must be a single value.");
                }

                break;
            default:
                throw yaml.Error(node, $"requirement '{requirementId}': a check is a name or a mapping with 'name' and parameters.");
        }

        var check = checks.Find(name) ?? throw yaml.Error(node, $"requirement '{requirementId}': unknown check '{name}' (known: {string.Join(", ", checks.All.Select(c => c.Name).Order())}).");
        foreach (var p in parameters.Keys.Where(p => !check.Parameters.Contains(p)))
        {
            throw yaml.Error(node, $"requirement '{requirementId}': check '{name}' has no parameter '{p}'.");
        }

        return new CheckSpec(name, parameters);
    }

    private static ControlApplicability ParseApplicability(YamlReader yaml, YamlMappingNode node)
    {
        yaml.RejectUnknownKeys(node, ApplicabilityKeys);
        var control = yaml.Scalar(node, "control", required: true)!;
        if (!ControlCatalog.Default.Contains(control))
        {
            throw yaml.Error(yaml.Child(node, "control")!, $"applicability names control '{control}', which is not an Annex A control or clause record of ISO/IEC 42001.");
        }

        var applicableText = yaml.Scalar(node, "applicable", required: true)!;
        if (!bool.TryParse(applicableText, out var applicable))
        {
            throw yaml.Error(yaml.Child(node, "applicable")!, $"applicability of '{control}': 'applicable' must be true or false, not '{applicableText}'.");
        }

        var justification = yaml.Scalar(node, "justification");
        return new ControlApplicability(ControlCatalog.Default.Normalize(control), applicable, string.IsNullOrWhiteSpace(justification) ? null : justification.Trim(), yaml.At(node));
    }

    private static Waiver ParseWaiver(YamlReader yaml, YamlMappingNode node)
    {
        yaml.RejectUnknownKeys(node, WaiverKeys);
        var requirement = yaml.Scalar(node, "requirement", required: true)!;
        var reason = yaml.Scalar(node, "reason", required: true)!;
        var expiresText = yaml.Scalar(node, "expires", required: true)!;
        if (!DateTimeOffset.TryParse(expiresText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var expires))
        {
            throw yaml.Error(yaml.Child(node, "expires")!, $"waiver for '{requirement}': expires '{expiresText}' is not a date (YYYY-MM-DD).");
        }

        return new Waiver(requirement, reason, expires.ToUniversalTime(), yaml.Scalar(node, "approvedBy"), yaml.At(node));
    }
}
