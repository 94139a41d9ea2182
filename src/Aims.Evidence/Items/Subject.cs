namespace Aims.Evidence.Items;

/// <summary>What an observation is about: a repository, a document, a group, an Azure resource, a source itself.</summary>
/// <param name="Type">Subject type, e.g. <c>repository</c>, <c>document</c>, <c>source</c>.</param>
/// <param name="Id">Stable identifier within the type, e.g. <c>contoso/fraud-model</c>.</param>
/// <param name="DisplayName">Human-readable name.</param>
/// <param name="AiSystems">Ids of the AI systems the subject belongs to (from the inventory footprint), if known.</param>
public sealed record Subject(string Type, string Id, string DisplayName, IReadOnlyList<string>? AiSystems = null)
{
    public IReadOnlyList<string> AiSystemIds => AiSystems ?? [];

    /// <summary>The key the index uses for a subject: <c>type/id</c>.</summary>
    public string Key => $"{Type}/{Id}";
}

/// <summary>Where an observation came from.</summary>
/// <param name="System">Source family, e.g. <c>github</c>, <c>documents</c>.</param>
/// <param name="Instance">Which instance of it, e.g. <c>https://api.github.com</c> or a folder name.</param>
/// <param name="Locator">API path or file path the facts were read from.</param>
/// <param name="Collector">Collector name.</param>
/// <param name="CollectorVersion">Collector version.</param>
public sealed record EvidenceSource(string System, string Instance, string Locator, string Collector, string CollectorVersion);

/// <summary>The period a population covers (inclusive start, exclusive end), in UTC.</summary>
public sealed record EvidencePeriod(DateTimeOffset From, DateTimeOffset To)
{
    public bool Overlaps(DateTimeOffset from, DateTimeOffset to) => From < to && To > from;
}
