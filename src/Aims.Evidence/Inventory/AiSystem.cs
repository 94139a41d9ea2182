namespace Aims.Evidence.Inventory;

/// <summary>Where an AI system lives in the organization's sources; used to attribute evidence to it.</summary>
/// <param name="Repositories"><c>owner/name</c>, or <c>owner/*</c> for every repository of an owner.</param>
/// <param name="EntraApps">Application (client) ids or service principal object ids.</param>
/// <param name="AzureResources">ARM resource ids (a resource group or subscription id covers what is under it), or <c>tag:name=value</c>.</param>
/// <param name="TicketProjects">Jira project keys, ServiceNow assignment groups/categories, or <c>owner/repo</c> for GitHub Issues.</param>
/// <param name="DocumentFolders">Folders (relative to the documents source) whose documents belong to the system.</param>
public sealed record AiSystemFootprint(
    IReadOnlyList<string> Repositories,
    IReadOnlyList<string> EntraApps,
    IReadOnlyList<string> AzureResources,
    IReadOnlyList<string> TicketProjects,
    IReadOnlyList<string> DocumentFolders)
{
    public static AiSystemFootprint Empty { get; } = new([], [], [], [], []);

    /// <summary>SharePoint sites, libraries or folders (their URLs, normalized by <see cref="SharePointFootprint.Normalize"/>) whose documents belong to the system.</summary>
    public IReadOnlyList<string> SharePoint { get; init; } = [];
}

/// <summary>One entry of the AI system inventory (ISO/IEC 42001 A.4.2 resource documentation; the audit's starting point).</summary>
public sealed record AiSystem
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string Purpose { get; init; }

    public string? BusinessOwner { get; init; }

    public string? TechnicalOwner { get; init; }

    /// <summary><c>design</c>, <c>development</c>, <c>deployed</c> or <c>retired</c>.</summary>
    public required string Lifecycle { get; init; }

    /// <summary>E.g. EU AI Act category: <c>prohibited</c>, <c>high</c>, <c>limited</c>, <c>minimal</c>, <c>general-purpose</c>.</summary>
    public required string RiskClass { get; init; }

    /// <summary><c>built</c>, <c>bought</c> or <c>api</c>.</summary>
    public required string Sourcing { get; init; }

    public string? Vendor { get; init; }

    public string? Model { get; init; }

    /// <summary>Whether the system acts without a human approving each outcome.</summary>
    public required bool ActsAutonomously { get; init; }

    /// <summary>Where a human oversees or can override the system.</summary>
    public string? HumanOversight { get; init; }

    public required AiSystemFootprint Footprint { get; init; }

    public Requirements.SourceLocation Location { get; init; } = Requirements.SourceLocation.BuiltIn;

    public bool IsRetired => Lifecycle == "retired";
}
