namespace Aims.Reporting.Digest;

/// <summary>Short names of the nine Annex A domains, for headings and the heat map (our wording, not the standard's).</summary>
public static class AnnexADomains
{
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["A.2"] = "Policies",
        ["A.3"] = "Internal organization",
        ["A.4"] = "Resources",
        ["A.5"] = "Impact assessment",
        ["A.6"] = "Life cycle",
        ["A.7"] = "Data",
        ["A.8"] = "Interested parties",
        ["A.9"] = "Use of AI systems",
        ["A.10"] = "Suppliers and customers",
    };

    /// <summary>"A.6 Life cycle"; the group id alone when it is not an Annex A domain.</summary>
    public static string Name(string group) => Names.TryGetValue(group, out var name) ? $"{group} {name}" : group;
}
