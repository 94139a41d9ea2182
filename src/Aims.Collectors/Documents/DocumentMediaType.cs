using System.Text;

namespace Aims.Collectors.Documents;

/// <summary>
/// Decides a document's media type. PDF and Office formats are known by their extension and stored as they are
/// (their text is compressed or encoded, so it cannot be redacted in place); any other file is text when its first
/// bytes are UTF-8 without NUL bytes, whatever its extension (a sidecar'd <c>deploy-config.yaml</c> or
/// <c>notes.cfg</c> is text and is redacted), and binary otherwise.
/// </summary>
public static class DocumentMediaType
{
    public const int SampleBytes = 8192;

    /// <param name="sample">The file's first bytes (up to <see cref="SampleBytes"/>).</param>
    /// <param name="complete">Whether the sample is the whole file (a UTF-8 sequence cut at its end is then an error).</param>
    public static string Of(string path, ReadOnlySpan<byte> sample, bool complete)
    {
        var byExtension = ByExtension(path);
        if (byExtension is not null && !IsText(byExtension))
        {
            return byExtension;
        }

        return LooksLikeText(sample, complete) ? byExtension ?? "text/plain" : "application/octet-stream";
    }

    public static string? ByExtension(string path) => Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".md" or ".markdown" => "text/markdown",
        ".txt" => "text/plain",
        ".csv" => "text/csv",
        ".html" or ".htm" => "text/html",
        ".json" => "application/json",
        ".yaml" or ".yml" => "application/yaml",
        ".xml" => "application/xml",
        ".pdf" => "application/pdf",
        ".docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ".xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ".pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        _ => null,
    };

    public static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType is "application/json" or "application/yaml" or "application/xml";

    /// <summary>True when the sample holds no NUL byte and decodes as UTF-8 (a sequence cut at the end is allowed unless the sample is the whole file).</summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> sample, bool complete)
    {
        if (sample.Contains((byte)0))
        {
            return false;
        }

        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        try
        {
            var chars = new char[sample.Length + 1];
            decoder.Convert(sample, chars, flush: complete, out _, out _, out _);
            return true;
        }
        catch (DecoderFallbackException)
        {
            return false;
        }
    }
}
