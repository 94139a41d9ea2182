namespace Aims.Reporting.Bundle;

/// <summary>The file extension a raw payload gets in a bundle, from the media type its item records.</summary>
public static class RawExtensions
{
    private static readonly Dictionary<string, string> ByMediaType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["application/json"] = ".json",
        ["application/vnd.github+json"] = ".json",
        ["application/xml"] = ".xml",
        ["text/xml"] = ".xml",
        ["application/yaml"] = ".yaml",
        ["application/x-yaml"] = ".yaml",
        ["text/yaml"] = ".yaml",
        ["text/markdown"] = ".md",
        ["text/plain"] = ".txt",
        ["text/csv"] = ".csv",
        ["text/html"] = ".html",
        ["application/pdf"] = ".pdf",
        ["application/zip"] = ".zip",
        ["image/png"] = ".png",
        ["image/jpeg"] = ".jpg",
        ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"] = ".docx",
        ["application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"] = ".xlsx",
        ["application/vnd.openxmlformats-officedocument.presentationml.presentation"] = ".pptx",
    };

    /// <summary>
    /// <c>.json</c> for <c>application/json; charset=utf-8</c>, any <c>+json</c> or <c>+xml</c> type by its suffix,
    /// and <c>.bin</c> for a type we do not know (or none), so no payload is ever opened as something it is not.
    /// </summary>
    public static string For(string? mediaType)
    {
        var type = (mediaType ?? "").Split(';', 2)[0].Trim();
        if (ByMediaType.TryGetValue(type, out var extension))
        {
            return extension;
        }

        if (type.EndsWith("+json", StringComparison.OrdinalIgnoreCase))
        {
            return ".json";
        }

        return type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase) ? ".xml" : ".bin";
    }
}
