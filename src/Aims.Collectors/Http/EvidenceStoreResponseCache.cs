using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Http;

/// <summary>
/// A response cache kept as reports in the evidence store (<c>http-cache/{source}/{2 hex}/{sha256 of the URL}.entry</c>),
/// so conditional requests work across runs and Functions invocations. Only the URL, the ETag, the <c>Link</c> header
/// and the body are kept; a body that looks like it holds a credential is not kept at all.
/// </summary>
/// <remarks>
/// An entry is one line of JSON (format, URL, ETag, Link, body length) and then the body's bytes as the source sent
/// them: a re-run reads hundreds of thousands of entries, so the body is neither escaped into JSON nor parsed out of
/// it. Names are spread over 256 folders by the hash's first two characters, as items are.
/// </remarks>
public sealed class EvidenceStoreResponseCache(IEvidenceStore store, ILogger<EvidenceStoreResponseCache>? logger = null) : IResponseCache
{
    public const string Prefix = "http-cache/";
    private const int Format = 2;
    private const long MaxEntryBytes = 256L * 1024 * 1024;
    private readonly ILogger _logger = logger ?? NullLogger<EvidenceStoreResponseCache>.Instance;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The report name an entry is stored under.</summary>
    public static string ReportName(string source, Uri url)
    {
        Sources.StateNames.Check(source, nameof(source));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)));
        return $"{Prefix}{source}/{hash[..2]}/{hash}.entry";
    }

    public async Task<CachedResponse?> GetAsync(string source, Uri url, CancellationToken cancellationToken = default)
    {
        var name = ReportName(source, url);
        await using var stream = await store.OpenReportAsync(name, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        var (bytes, length) = await ReadEntryAsync(stream, cancellationToken).ConfigureAwait(false);
        try
        {
            var newline = Array.IndexOf(bytes, (byte)'\n', 0, length);
            if (newline > 0)
            {
                using var header = JsonDocument.Parse(bytes.AsMemory(0, newline));
                var root = header.RootElement;
                if (root.TryGetProperty("format", out var format) && format.GetInt32() == Format
                    && root.TryGetProperty("url", out var cachedUrl) && cachedUrl.GetString() == url.AbsoluteUri
                    && root.TryGetProperty("etag", out var etag) && etag.GetString() is { Length: > 0 } validator
                    && root.TryGetProperty("length", out var bodyLength) && bodyLength.GetInt32() == length - newline - 1)
                {
                    var link = root.TryGetProperty("link", out var l) && l.ValueKind == JsonValueKind.String ? l.GetString() : null;
                    return new CachedResponse(validator, bytes.AsMemory(newline + 1, length - newline - 1), link);
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // A damaged entry only costs a full request; it must never fail a collection.
        }

        HttpLog.CacheEntryUnusable(_logger, name);
        return null;
    }

    /// <summary>
    /// Reads a whole entry. A re-run reads one entry per request, so a seekable entry (a file) is read into one array
    /// of its exact size, synchronously for a local file: a few kilobytes from the page cache cost less than the
    /// thread-pool round trip of an asynchronous read and the growing copies of a <see cref="MemoryStream"/>.
    /// </summary>
    private static async Task<(byte[] Bytes, int Length)> ReadEntryAsync(Stream stream, CancellationToken cancellationToken)
    {
        if (stream.CanSeek && stream.Length - stream.Position is var size and >= 0 and <= MaxEntryBytes)
        {
            var bytes = new byte[size];
            var read = 0;
            while (read < bytes.Length)
            {
                var n = stream is FileStream
                    ? stream.Read(bytes, read, bytes.Length - read)
                    : await stream.ReadAsync(bytes.AsMemory(read), cancellationToken).ConfigureAwait(false);
                if (n == 0)
                {
                    break;
                }

                read += n;
            }

            return (bytes, read);
        }

        var content = new MemoryStream();
        await stream.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
        return (content.GetBuffer(), (int)content.Length);
    }

    public async Task PutAsync(string source, Uri url, CachedResponse response, CancellationToken cancellationToken = default)
    {
        string body;
        try
        {
            body = StrictUtf8.GetString(response.Body.Span);
        }
        catch (DecoderFallbackException)
        {
            return;
        }

        SecretRedactor.RedactText(body, out var inBody);
        SecretRedactor.RedactText(url.AbsoluteUri, out var inUrl);
        if (inBody + inUrl > 0)
        {
            HttpLog.CacheEntrySkipped(_logger, url.AbsolutePath);
            return;
        }

        var content = new MemoryStream(response.Body.Length + 512);
        using (var header = new Utf8JsonWriter(content))
        {
            header.WriteStartObject();
            header.WriteNumber("format", Format);
            header.WriteString("url", url.AbsoluteUri);
            header.WriteString("etag", response.ETag);
            header.WriteString("link", response.Link);
            header.WriteNumber("length", response.Body.Length);
            header.WriteEndObject();
        }

        content.WriteByte((byte)'\n');
        content.Write(response.Body.Span);
        content.Position = 0;
        await store.PutReportAsync(ReportName(source, url), content, cancellationToken).ConfigureAwait(false);
    }
}
