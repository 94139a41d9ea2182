using System.Text;

namespace Aims.Collectors.Documents;

/// <summary>
/// Decides a document's media type. Office and PDF formats are known by their extension and stored as they are (their text is compressed or
/// encoded, so it cannot be redacted in place); any
/// other file is text when its first bytes are UTF-8 without NUL bytes, whatever its extension (a sidecar'd
/// <c>deploy-config.yaml</c> or <c>notes.cfg</c> is text and is redacted), and binary otherwise.
/// </summary>
public static class DocumentMediaType
{
    private const int SampleBytes = 8192;

    public static string Of(string path)
    {
        var byExtension = Path.GetExtension(path).ToLowerInvariant() switch
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
        if (byExtension is not null && !IsText(byExtension))
        {
            return byExtension;
        }

        return LooksLikeText(path) ? byExtension ?? "text/plain" : "application/octet-stream";
    }

    /// <summary>True when the first 8 KiB hold no NUL byte and decode as UTF-8 (a sequence cut at the end is allowed).</summary>
    public static bool LooksLikeText(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None);
        var sample = new byte[SampleBytes];
        var length = stream.ReadAtLeast(sample, SampleBytes, throwOnEndOfStream: false);
        return LooksLikeText(sample.AsSpan(0, length), complete: length < SampleBytes);
    }

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

    private static bool IsText(string mediaType) =>
        mediaType.StartsWith("text/", StringComparison.Ordinal) || mediaType is "application/json" or "application/yaml" or "application/xml";
}
