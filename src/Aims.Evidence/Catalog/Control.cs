namespace Aims.Evidence.Catalog;

/// <summary>Whether a catalog entry is an ISO/IEC 42001 Annex A control or a management-system clause record.</summary>
public enum ControlType
{
    AnnexA,
    Clause,
}

/// <summary>One entry of the catalog: an ID and a short title (never the standard's requirement text).</summary>
public sealed record Control(string Id, string Title, ControlType Type, string Group)
{
    public string TypeName => Type == ControlType.AnnexA ? "annex-a" : "clause";
}
