using Aims.Evidence.Requirements;
using YamlDotNet.RepresentationModel;

namespace Aims.Evidence.Inventory;

/// <summary>
/// The organization's AI system inventory, read from YAML (<c>Aims:Inventory</c>), with the rules that flag AI found in
/// a source but absent from it, and the records every (non-retired) system must have.
/// </summary>
public sealed class AiInventory
{
    public static readonly string[] Lifecycles = ["design", "development", "deployed", "retired"];
    public static readonly string[] RiskClasses = ["prohibited", "high", "limited", "minimal", "general-purpose"];
    public static readonly string[] Sourcings = ["built", "bought", "api"];

    private static readonly string[] RootKeys = ["aiSystems", "requiredRecords", "unregisteredAi"];
    private static readonly string[] SystemKeys = ["id", "name", "purpose", "businessOwner", "technicalOwner", "lifecycle", "riskClass", "sourcing", "vendor", "model", "actsAutonomously", "humanOversight", "footprint"];
    private static readonly string[] FootprintKeys = ["repositories", "entraApps", "azureResources", "ticketProjects", "documentFolders", "sharePoint"];
    private static readonly string[] RuleKeys = ["repositoryTopics", "azureResourceTypes", "azureResourceKinds", "servicePrincipalNames", "vendorPublishers"];

    public AiInventory(IReadOnlyList<AiSystem> systems, IReadOnlyList<string> requiredRecords, UnregisteredAiRules rules, string? file = null)
    {
        Systems = systems;
        RequiredRecords = requiredRecords;
        Rules = rules;
        File = file;
    }

    /// <summary>Requirement ids each non-retired system must satisfy with evidence attributed to it.</summary>
    public static IReadOnlyList<string> DefaultRequiredRecords { get; } = ["impact-assessments", "technical-documentation", "intended-use-statements"];

    public static AiInventory Empty { get; } = new([], DefaultRequiredRecords, UnregisteredAiRules.Default);

    public IReadOnlyList<AiSystem> Systems { get; }

    public IReadOnlyList<string> RequiredRecords { get; }

    public UnregisteredAiRules Rules { get; }

    public string? File { get; }

    public AiSystem? Find(string id) => Systems.FirstOrDefault(s => string.Equals(s.Id, id, StringComparison.OrdinalIgnoreCase));

    /// <summary>Reads and validates an inventory file; every error names the file, the entry and the field.</summary>
    public static AiInventory Load(string path, RequirementSet requirements)
    {
        if (!System.IO.File.Exists(path))
        {
            throw new RequirementsException(new SourceLocation(path, 0, 0), "the inventory file does not exist.");
        }

        using var reader = new StreamReader(path);
        var yaml = new YamlReader(path);
        var root = yaml.LoadRoot(reader);
        yaml.RejectUnknownKeys(root, RootKeys);
        var systems = new List<AiSystem>();
        var seen = new Dictionary<string, SourceLocation>(StringComparer.OrdinalIgnoreCase);
        foreach (var node in yaml.Sequence(root, "aiSystems"))
        {
            var system = ParseSystem(yaml, node);
            if (seen.TryGetValue(system.Id, out var first))
            {
                throw yaml.Error(node, $"AI system '{system.Id}': duplicate id (first declared at {first}).");
            }

            seen[system.Id] = system.Location;
            systems.Add(system);
        }

        var records = yaml.Child(root, "requiredRecords") is null
            ? DefaultRequiredRecords
            : yaml.List(root, "requiredRecords").Select(r => requirements.Requirements.Any(q => string.Equals(q.Id, r.Value, StringComparison.OrdinalIgnoreCase))
                ? r.Value
                : throw yaml.Error(r.Node, $"requiredRecords names '{r.Value}', which is not a requirement.")).ToList();

        var rules = UnregisteredAiRules.Default;
        if (yaml.Mapping(root, "unregisteredAi") is { } r)
        {
            yaml.RejectUnknownKeys(r, RuleKeys);
            IReadOnlyList<string> Or(string key, IReadOnlyList<string> fallback) =>
                yaml.Child(r, key) is null ? fallback : yaml.List(r, key).Select(v => v.Value).ToList();
            rules = new UnregisteredAiRules(
                Or("repositoryTopics", rules.RepositoryTopics),
                Or("azureResourceTypes", rules.AzureResourceTypes),
                Or("azureResourceKinds", rules.AzureResourceKinds),
                Or("servicePrincipalNames", rules.ServicePrincipalNames),
                Or("vendorPublishers", rules.VendorPublishers));
        }

        return new AiInventory(systems, records, rules, path);
    }

    private static AiSystem ParseSystem(YamlReader yaml, YamlMappingNode node)
    {
        var id = yaml.Scalar(node, "id", required: true)!;
        if (!id.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') || id.Length > 64)
        {
            throw yaml.Error(yaml.Child(node, "id")!, $"AI system '{id}': 'id' may use only lowercase letters, digits and '-' (at most 64).");
        }

        RequirementsException Field(string field, string reason) => yaml.Error(yaml.Child(node, field) ?? node, $"AI system '{id}': field '{field}' {reason}");
        foreach (var key in node.Children.Keys.OfType<YamlScalarNode>())
        {
            if (!SystemKeys.Contains(key.Value, StringComparer.OrdinalIgnoreCase))
            {
                throw yaml.Error(key, $"AI system '{id}': unknown field '{key.Value}' (expected one of: {string.Join(", ", SystemKeys)}).");
            }
        }

        string Required(string field)
        {
            var value = yaml.Child(node, field) is YamlScalarNode s ? s.Value : null;
            return string.IsNullOrWhiteSpace(value) ? throw Field(field, "is required.") : value.Trim();
        }

        string OneOf(string field, string[] allowed)
        {
            var value = Required(field);
            return allowed.Contains(value, StringComparer.Ordinal) ? value : throw Field(field, $"is '{value}'; expected one of: {string.Join(", ", allowed)}.");
        }

        var autonomousText = Required("actsAutonomously");
        if (!bool.TryParse(autonomousText, out var autonomous))
        {
            throw Field("actsAutonomously", $"is '{autonomousText}'; expected true or false.");
        }

        var footprint = AiSystemFootprint.Empty;
        if (yaml.Mapping(node, "footprint") is { } f)
        {
            foreach (var key in f.Children.Keys.OfType<YamlScalarNode>())
            {
                if (!FootprintKeys.Contains(key.Value, StringComparer.OrdinalIgnoreCase))
                {
                    throw yaml.Error(key, $"AI system '{id}': unknown footprint field '{key.Value}' (expected one of: {string.Join(", ", FootprintKeys)}).");
                }
            }

            IReadOnlyList<string> L(string key) => yaml.List(f, key).Select(v => v.Value.Trim()).Where(v => v.Length > 0).ToList();
            footprint = new AiSystemFootprint(L("repositories"), L("entraApps"), L("azureResources"), L("ticketProjects"), L("documentFolders"))
            {
                SharePoint = L("sharePoint").Select(SharePointFootprint.Normalize).ToList(),
            };
            foreach (var place in footprint.SharePoint.Where(p => !p.Contains('/', StringComparison.Ordinal)))
            {
                throw yaml.Error(f, $"AI system '{id}': footprint sharePoint '{place}' must be a site, library or folder URL, e.g. https://contoso.sharepoint.com/sites/ai-governance/Policies.");
            }

            foreach (var folder in footprint.DocumentFolders.Where(d => d.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(d)))
            {
                throw yaml.Error(f, $"AI system '{id}': footprint documentFolders '{folder}' must be a relative folder inside the documents source.");
            }
        }

        var lifecycle = OneOf("lifecycle", Lifecycles);
        var businessOwner = yaml.Scalar(node, "businessOwner");
        var technicalOwner = yaml.Scalar(node, "technicalOwner");
        return new AiSystem
        {
            Id = id,
            Name = Required("name"),
            Purpose = Required("purpose"),
            BusinessOwner = businessOwner,
            TechnicalOwner = technicalOwner,
            Lifecycle = lifecycle,
            RiskClass = OneOf("riskClass", RiskClasses),
            Sourcing = OneOf("sourcing", Sourcings),
            Vendor = yaml.Scalar(node, "vendor"),
            Model = yaml.Scalar(node, "model"),
            ActsAutonomously = autonomous,
            HumanOversight = yaml.Scalar(node, "humanOversight"),
            Footprint = footprint,
            Location = yaml.At(node),
        };
    }
}

/// <summary>What makes a subject "look like AI" when no inventory entry claims it (shadow AI).</summary>
public sealed record UnregisteredAiRules(
    IReadOnlyList<string> RepositoryTopics,
    IReadOnlyList<string> AzureResourceTypes,
    IReadOnlyList<string> AzureResourceKinds,
    IReadOnlyList<string> ServicePrincipalNames,
    IReadOnlyList<string> VendorPublishers)
{
    public static UnregisteredAiRules Default { get; } = new(
        ["ai", "ml", "machine-learning", "llm", "genai", "generative-ai", "deep-learning", "nlp", "computer-vision", "mlops", "rag"],
        ["microsoft.cognitiveservices/accounts", "microsoft.machinelearningservices/workspaces", "microsoft.search/searchservices"],
        ["openai", "aiservices", "cognitiveservices", "formrecognizer", "textanalytics", "computervision"],
        ["openai", "chatgpt", "copilot", "anthropic", "claude", "gemini", "mistral", "hugging face", "perplexity", "midjourney"],
        ["OpenAI", "Anthropic", "Google", "Mistral AI", "Hugging Face", "Cohere"]);
}
