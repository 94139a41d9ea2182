using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Http;

/// <summary>
/// A response cache kept as reports in the evidence store (<c>http-cache/{source}/{sha256 of the URL}.json</c>), so
/// conditional requests work across runs and Functions invocations. Only the URL, the ETag, the <c>Link</c>
/// header and the body are kept; a body that looks like it holds a credential is not kept at all.
/// </summary>
public sealed class EvidenceStoreResponseCache(IEvidenceStore store, ILogger<EvidenceStoreResponseCache>? logger = null) : IResponseCache
{
    public const string Prefix = "http-cache/";
    private readonly ILogger _logger = logger ?? NullLogger<EvidenceStoreResponseCache>.Instance;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The report name an entry is stored under.</summary>
    public static string ReportName(string source, Uri url)
    {
        Sources.StateNames.Check(source, nameof(source));
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(url.AbsoluteUri)));
        return $"{Prefix}{source}/{hash}.json";
    }

    public async Task<CachedResponse?> GetAsync(string source, Uri url, CancellationToken cancellationToken = default)
    {
        var name = ReportName(source, url);
        await using var stream = await store.OpenReportAsync(name, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            return null;
        }

        try
        {
            var node = await JsonNode.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (node is JsonObject o
                && o["url"]?.GetValue<string>() == url.AbsoluteUri
                && o["etag"]?.GetValue<string>() is { Length: > 0 } etag
                && o["body"]?.GetValue<string>() is { } body)
            {
                return new CachedResponse(etag, Encoding.UTF8.GetBytes(body), o["link"]?.GetValue<string>());
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // A damaged entry only costs a full request; it must never fail a collection.
        }

        HttpLog.CacheEntryUnusable(_logger, name);
        return null;
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

        var entry = new JsonObject
        {
            ["url"] = url.AbsoluteUri,
            ["etag"] = response.ETag,
            ["link"] = response.Link,
            ["body"] = body,
        };
        using var content = new MemoryStream(Encoding.UTF8.GetBytes(entry.ToJsonString()), writable: false);
        await store.PutReportAsync(ReportName(source, url), content, cancellationToken).ConfigureAwait(false);
    }
}
