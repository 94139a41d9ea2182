namespace Aims.Collectors.Documents;

/// <summary>
/// Which files of a place are governed documents: Markdown files (described by front matter) and files with a
/// sidecar <c>{file}.aims.yaml</c>. A sidecar whose file is missing is still selected, so the gap is reported.
/// </summary>
public static class DocumentSelection
{
    public const string SidecarSuffix = ".aims.yaml";

    /// <summary>The documents among <paramref name="files"/>, in ordinal order.</summary>
    public static IReadOnlyList<string> Select(IEnumerable<string> files)
    {
        var all = new HashSet<string>(files, StringComparer.Ordinal);
        var documents = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in all)
        {
            if (file.EndsWith(SidecarSuffix, StringComparison.OrdinalIgnoreCase))
            {
                documents.Add(file[..^SidecarSuffix.Length]);
            }
            else if (IsMarkdown(file) || all.Contains(file + SidecarSuffix))
            {
                documents.Add(file);
            }
        }

        return [.. documents];
    }

    /// <summary>Whether a path has a segment that starts with '.' (hidden files and folders are not documents).</summary>
    public static bool IsHidden(string relativePath) => relativePath.Split('/').Any(segment => segment.StartsWith('.'));

    public static bool IsMarkdown(string path) => path.EndsWith(".md", StringComparison.OrdinalIgnoreCase);

    /// <summary>The media type a document's raw payload is stored with, from its file name.</summary>
    public static string MediaTypeOf(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" => "text/markdown",
        ".txt" => "text/plain",
        ".csv" => "text/csv",
        ".html" or ".htm" => "text/html",
        ".pdf" => "application/pdf",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => "application/octet-stream",
    };
}
