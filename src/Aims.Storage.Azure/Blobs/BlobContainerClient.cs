using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Azure;
using Azure.Core;

namespace Aims.Storage.Azure.Blobs;

/// <summary>
/// One Blob container over REST (API version 2025-11-05) on Azure.Core's pipeline, shaped like the Azure SDK's
/// <c>BlobContainerClient</c> with the operations the evidence store needs. Every failure is a
/// <see cref="RequestFailedException"/> carrying the service's error code (<c>x-ms-error-code</c>).
/// </summary>
public sealed class BlobContainerClient
{
    private readonly StorageRestPipeline _rest;
    private readonly BlobClientOptions _options;

    /// <summary>SharedKey authorization (Azurite, connection strings).</summary>
    public BlobContainerClient(Uri containerUri, StorageSharedKeyCredential credential, BlobClientOptions? options = null)
    {
        _options = options ?? new BlobClientOptions();
        _rest = StorageRestPipeline.Create(containerUri, _options, credential, _options.TimeProvider);
        AccountName = credential.AccountName;
        Validate();
    }

    /// <summary>Entra ID authorization (managed identity, developer sign-in); https endpoints only.</summary>
    public BlobContainerClient(Uri containerUri, TokenCredential credential, BlobClientOptions? options = null)
    {
        _options = options ?? new BlobClientOptions();
        _rest = StorageRestPipeline.Create(containerUri, _options, credential);
        AccountName = AccountOf(containerUri);
        Validate();
    }

    /// <summary>From a connection string (including <c>UseDevelopmentStorage=true</c>).</summary>
    public BlobContainerClient(string connectionString, string containerName, BlobClientOptions? options = null)
        : this(StorageConnectionString.Parse(connectionString), containerName, options)
    {
    }

    public BlobContainerClient(StorageConnectionString connection, string containerName, BlobClientOptions? options = null)
        : this(new Uri($"{connection.BlobEndpoint.AbsoluteUri.TrimEnd('/')}/{containerName}"), connection.Credential, options)
    {
    }

    /// <summary>The container URL (never carries a key).</summary>
    public Uri Uri => _rest.ResourceUri;

    public string Name => _rest.ResourceUri.Segments[^1];

    public string AccountName { get; }

    // ---- container ------------------------------------------------------------------------------

    /// <summary>Creates the container; returns false when it already exists.</summary>
    public async Task<bool> CreateIfNotExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Put, null, ("restype", "container"));
        message.Request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty);
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            201 => true,
            409 => false,
            _ => throw StorageRestPipeline.Failure(response),
        };
    }

    /// <summary>Deletes the container and everything in it; returns false when there was none.</summary>
    public async Task<bool> DeleteIfExistsAsync(CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Delete, null, ("restype", "container"));
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        return response.Status switch
        {
            202 => true,
            404 => false,
            _ => throw StorageRestPipeline.Failure(response),
        };
    }

    // ---- block blobs ----------------------------------------------------------------------------

    /// <summary>Put Blob: writes <paramref name="content"/> as a block blob in one request.</summary>
    public async Task<Response<BlobContentInfo>> UploadAsync(string blobName, ReadOnlyMemory<byte> content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Put, BlobPath(blobName));
        message.Request.Headers.SetValue("x-ms-blob-type", "BlockBlob");
        ApplyUploadOptions(message.Request, options);
        message.Request.Content = RequestContent.Create(content);
        var response = await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ContentInfo(response), response);
    }

    /// <summary>
    /// Uploads a stream of any length with one buffer of <see cref="BlobClientOptions.BlockSize"/> bytes: a payload
    /// that fits is one Put Blob; a larger one is staged block by block and committed with Put Block List,
    /// which is where <paramref name="options"/>' conditions apply.
    /// </summary>
    public async Task<Response<BlobContentInfo>> UploadAsync(string blobName, Stream content, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var blockSize = _options.BlockSize;
        var buffer = ArrayPool<byte>.Shared.Rent(blockSize);
        try
        {
            var filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (filled < blockSize)
            {
                return await UploadAsync(blobName, buffer.AsMemory(0, filled), options, cancellationToken).ConfigureAwait(false);
            }

            var blockIds = new List<string>();
            while (filled > 0)
            {
                var block = buffer.AsMemory(0, filled);
                var blockId = BlockId(blockIds.Count, block.Span);
                await StageBlockAsync(blobName, blockId, block, cancellationToken).ConfigureAwait(false);
                blockIds.Add(blockId);
                filled = await content.ReadAtLeastAsync(buffer.AsMemory(0, blockSize), blockSize, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            }

            return await CommitBlockListAsync(blobName, blockIds, options, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Put Block: stages one uncommitted block. Block ids of one blob must all have the same length.</summary>
    public async Task<Response> StageBlockAsync(string blobName, string base64BlockId, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Put, BlobPath(blobName), ("comp", "block"), ("blockid", base64BlockId));
        message.Request.Content = RequestContent.Create(content);
        return await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Put Block List: commits staged blocks, in order, as the blob's content.</summary>
    public async Task<Response<BlobContentInfo>> CommitBlockListAsync(string blobName, IEnumerable<string> base64BlockIds, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var body = new StringBuilder("<?xml version=\"1.0\" encoding=\"utf-8\"?><BlockList>");
        foreach (var id in base64BlockIds)
        {
            body.Append("<Latest>").Append(id).Append("</Latest>");
        }

        body.Append("</BlockList>");
        using var message = _rest.CreateMessage(RequestMethod.Put, BlobPath(blobName), ("comp", "blocklist"));
        ApplyUploadOptions(message.Request, options);
        message.Request.Content = RequestContent.Create(Encoding.UTF8.GetBytes(body.ToString()));
        var response = await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ContentInfo(response), response);
    }

    // ---- append blobs ---------------------------------------------------------------------------

    /// <summary>Creates an empty append blob (use <see cref="BlobRequestConditions.IfNotExists"/> to keep an existing one).</summary>
    public async Task<Response<BlobContentInfo>> CreateAppendBlobAsync(string blobName, BlobUploadOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Put, BlobPath(blobName));
        message.Request.Headers.SetValue("x-ms-blob-type", "AppendBlob");
        ApplyUploadOptions(message.Request, options);
        message.Request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty);
        var response = await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(ContentInfo(response), response);
    }

    /// <summary>
    /// Append Block. With <paramref name="appendPosition"/> the block is written only if the blob is exactly that
    /// long (412 <c>AppendPositionConditionNotMet</c> otherwise), which makes a retried append detectable.
    /// </summary>
    public async Task<Response<BlobAppendInfo>> AppendBlockAsync(string blobName, ReadOnlyMemory<byte> content, long? appendPosition = null, CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Put, BlobPath(blobName), ("comp", "appendblock"));
        if (appendPosition is { } position)
        {
            message.Request.Headers.SetValue("x-ms-blob-condition-appendpos", position.ToString(CultureInfo.InvariantCulture));
        }

        message.Request.Content = RequestContent.Create(content);
        var response = await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        var offset = response.Headers.TryGetValue("x-ms-blob-append-offset", out var o) ? long.Parse(o, CultureInfo.InvariantCulture) : -1;
        var count = response.Headers.TryGetValue("x-ms-blob-committed-block-count", out var c) ? int.Parse(c, CultureInfo.InvariantCulture) : -1;
        return Response.FromValue(new BlobAppendInfo(response.Headers.ETag ?? default, offset, count), response);
    }

    // ---- reads ----------------------------------------------------------------------------------

    /// <summary>Get Blob Properties (HEAD).</summary>
    public async Task<Response<BlobProperties>> GetPropertiesAsync(string blobName, CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Head, BlobPath(blobName));
        var response = await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(Properties(response, response.Headers.ContentLengthLong ?? 0), response);
    }

    /// <summary>Downloads a blob (or a range of it) into memory. For small blobs; stream large ones.</summary>
    public async Task<Response<BlobDownloadResult>> DownloadContentAsync(string blobName, HttpRange range = default, CancellationToken cancellationToken = default)
    {
        using var message = _rest.CreateMessage(RequestMethod.Get, BlobPath(blobName));
        SetRange(message.Request, range);
        var response = await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
        var content = await BinaryData.FromStreamAsync(response.ContentStream ?? Stream.Null, cancellationToken).ConfigureAwait(false);
        return Response.FromValue(new BlobDownloadResult(content, Properties(response, TotalLength(response))), response);
    }

    /// <summary>
    /// Downloads a blob as a stream without buffering it. A connection that drops part-way is resumed from
    /// where it stopped (same ETag), up to the client's retry count.
    /// </summary>
    public async Task<Response<BlobDownloadStreamingResult>> DownloadStreamingAsync(string blobName, CancellationToken cancellationToken = default)
    {
        var (stream, response) = await OpenRangeAsync(blobName, 0, null, cancellationToken).ConfigureAwait(false);
        var details = Properties(response, TotalLength(response));
        var etag = details.ETag;
        var resumable = new ResumableDownloadStream(stream, details.ContentLength, async (position, ct) =>
        {
            var (next, _) = await OpenRangeAsync(blobName, position, etag, ct).ConfigureAwait(false);
            return next;
        }, _options.Retry.MaxRetries);
        return Response.FromValue(new BlobDownloadStreamingResult(resumable, details), response);
    }

    /// <summary>List Blobs, flat, page by page (<c>NextMarker</c>), optionally with metadata.</summary>
    public AsyncPageable<BlobItem> GetBlobsAsync(string? prefix = null, bool includeMetadata = false, CancellationToken cancellationToken = default) =>
        new BlobListing(this, prefix, includeMetadata, cancellationToken);

    internal async Task<(IReadOnlyList<BlobItem> Items, string? NextMarker, Response Response)> ListPageAsync(string? prefix, bool includeMetadata, string? marker, int? pageSize, CancellationToken cancellationToken)
    {
        var size = Math.Clamp(pageSize ?? _options.ListPageSize, 1, 5000);
        using var message = _rest.CreateMessage(RequestMethod.Get, null,
            ("restype", "container"), ("comp", "list"),
            ("prefix", string.IsNullOrEmpty(prefix) ? null : prefix),
            ("include", includeMetadata ? "metadata" : null),
            ("marker", string.IsNullOrEmpty(marker) ? null : marker),
            ("maxresults", size.ToString(CultureInfo.InvariantCulture)));
        var response = await _rest.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (response.Status == 404 && ErrorCode(response) == "ContainerNotFound")
        {
            return ([], null, response);
        }

        if (response.IsError)
        {
            throw StorageRestPipeline.Failure(response);
        }

        var (items, next) = await BlobListXml.ParseAsync(response.ContentStream ?? Stream.Null, cancellationToken).ConfigureAwait(false);
        return (items, next, response);
    }

    // ---- helpers --------------------------------------------------------------------------------

    /// <summary>The service's error code of a failed response, e.g. <c>BlobNotFound</c>.</summary>
    public static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue(StorageConstants.ErrorCodeHeader, out var code) ? code : null;

    private async Task<(Stream Stream, Response Response)> OpenRangeAsync(string blobName, long offset, ETag? ifMatch, CancellationToken cancellationToken)
    {
        var message = _rest.CreateMessage(RequestMethod.Get, BlobPath(blobName));
        try
        {
            message.BufferResponse = false;
            if (offset > 0)
            {
                SetRange(message.Request, new HttpRange(offset));
            }

            if (ifMatch is { } etag)
            {
                message.Request.Headers.SetValue("If-Match", etag.ToString("H"));
            }

            var response = await _rest.SendCheckedAsync(message, cancellationToken).ConfigureAwait(false);
            return (message.ExtractResponseContent() ?? Stream.Null, response);
        }
        finally
        {
            message.Dispose();
        }
    }

    private static void SetRange(Request request, HttpRange range)
    {
        if (range != default)
        {
            request.Headers.SetValue("x-ms-range", range.ToString());
        }
    }

    private static void ApplyUploadOptions(Request request, BlobUploadOptions? options)
    {
        if (options is null)
        {
            return;
        }

        if (options.Conditions?.IfMatch is { } ifMatch)
        {
            request.Headers.SetValue("If-Match", ifMatch.ToString("H"));
        }

        if (options.Conditions?.IfNoneMatch is { } ifNoneMatch)
        {
            request.Headers.SetValue("If-None-Match", ifNoneMatch == ETag.All ? "*" : ifNoneMatch.ToString("H"));
        }

        if (options.ContentType is not null)
        {
            request.Headers.SetValue("x-ms-blob-content-type", options.ContentType);
        }

        foreach (var (name, value) in options.Metadata ?? new Dictionary<string, string>())
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new ArgumentException($"Metadata name '{name}' must be ASCII letters, digits or '_'.", nameof(options));
            }

            if (value.Any(c => c < 0x20 || c > 0x7e))
            {
                throw new ArgumentException($"Metadata value for '{name}' must be printable ASCII.", nameof(options));
            }

            request.Headers.SetValue(StorageConstants.MetadataPrefix + name, value);
        }
    }

    private static BlobContentInfo ContentInfo(Response response) =>
        new(response.Headers.ETag ?? default, LastModified(response));

    private static BlobProperties Properties(Response response, long length)
    {
        var metadata = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in response.Headers)
        {
            if (header.Name.StartsWith(StorageConstants.MetadataPrefix, StringComparison.OrdinalIgnoreCase))
            {
                metadata[header.Name[StorageConstants.MetadataPrefix.Length..]] = header.Value;
            }
        }

        response.Headers.TryGetValue("x-ms-blob-type", out var blobType);
        int? blocks = response.Headers.TryGetValue("x-ms-blob-committed-block-count", out var c) ? int.Parse(c, CultureInfo.InvariantCulture) : null;
        return new BlobProperties(length, response.Headers.ETag ?? default, LastModified(response), blobType, response.Headers.ContentType, blocks, metadata);
    }

    private static DateTimeOffset? LastModified(Response response) =>
        response.Headers.TryGetValue("Last-Modified", out var value) && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    /// <summary>The whole blob's length: from Content-Range (<c>bytes 0-9/1234</c>) for a range, else Content-Length.</summary>
    private static long TotalLength(Response response)
    {
        if (response.Headers.TryGetValue("Content-Range", out var range))
        {
            var slash = range.LastIndexOf('/');
            if (slash >= 0 && long.TryParse(range.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total))
            {
                return total;
            }
        }

        return response.Headers.ContentLengthLong ?? 0;
    }

    /// <summary>
    /// A block id of fixed length made from the block's position and content, so two uploads of the same bytes to
    /// the same name stage identical blocks, and uploads of different bytes never share an id.
    /// </summary>
    private static string BlockId(int index, ReadOnlySpan<byte> block)
    {
        var digest = Convert.ToHexStringLower(SHA256.HashData(block))[..24];
        return Convert.ToBase64String(Encoding.ASCII.GetBytes($"{index:D6}-{digest}"));
    }

    private static string BlobPath(string blobName)
    {
        if (string.IsNullOrEmpty(blobName) || blobName.Length > 1024 || blobName.StartsWith('/') || blobName.Split('/').Any(s => s is "." or ".."))
        {
            throw new ArgumentException($"'{blobName}' is not a valid blob name here (1–1024 characters, no leading '/', no '.' or '..' segments).", nameof(blobName));
        }

        return blobName;
    }

    /// <summary>The account: the first label of the host, or the first path segment of a path-style (IP or localhost) URL.</summary>
    private static string AccountOf(Uri uri) =>
        uri.HostNameType is UriHostNameType.IPv4 or UriHostNameType.IPv6 || uri.IsLoopback
            ? uri.Segments.Length > 2 ? uri.Segments[1].TrimEnd('/') : uri.Host
            : uri.Host.Split('.')[0];

    private void Validate()
    {
        var name = Name;
        if (name.Length is < 3 or > 63 || !name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || name.StartsWith('-') || name.EndsWith('-') || name.Contains("--", StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{name}' is not a valid container name (3–63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit).");
        }

        if (_options.BlockSize is < 64 * 1024 or > 100 * 1024 * 1024)
        {
            throw new ArgumentException($"BlockSize {_options.BlockSize} is out of range (64 KiB–100 MiB).");
        }
    }
}
