namespace Aims.Reporting.Digest;

/// <summary>The renderings of a digest.</summary>
public enum DigestFormat
{
    Json,
    Markdown,
    Html,
}

public static class DigestFormats
{
    /// <summary>The file extension, without the dot: <c>json</c>, <c>md</c>, <c>html</c>.</summary>
    public static string FileExtension(this DigestFormat format) => format switch
    {
        DigestFormat.Json => "json",
        DigestFormat.Markdown => "md",
        DigestFormat.Html => "html",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown digest format."),
    };

    public static string MediaType(this DigestFormat format) => format switch
    {
        DigestFormat.Json => "application/json",
        DigestFormat.Markdown => "text/markdown; charset=utf-8",
        DigestFormat.Html => "text/html; charset=utf-8",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown digest format."),
    };

    /// <summary>Reads <c>json</c>, <c>md</c>/<c>markdown</c> or <c>html</c> (any case).</summary>
    public static DigestFormat Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "json" => DigestFormat.Json,
        "md" or "markdown" => DigestFormat.Markdown,
        "html" or "htm" => DigestFormat.Html,
        _ => throw new FormatException($"'{name}' is not a digest format (json, markdown, html)."),
    };
}
