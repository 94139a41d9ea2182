namespace Aims.Reporting.Soa;

/// <summary>The formats the Statement of Applicability is written in.</summary>
public enum SoaFormat
{
    Csv,
    Json,
    Html,
    Markdown,
}
