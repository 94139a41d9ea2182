using Azure;

namespace Aims.Storage.Azure.Blobs;

/// <summary>What a successful write returns.</summary>
public sealed record BlobContentInfo(ETag ETag, DateTimeOffset? LastModified);

/// <summary>What a successful Append Block returns: where the block landed and how many blocks the blob now holds.</summary>
public sealed record BlobAppendInfo(ETag ETag, long AppendOffset, int CommittedBlockCount);

/// <summary>A blob's system properties and metadata, from Get Blob Properties or a download.</summary>
public sealed record BlobProperties(
    long ContentLength,
    ETag ETag,
    DateTimeOffset? LastModified,
    string? BlobType,
    string? ContentType,
    int? CommittedBlockCount,
    IReadOnlyDictionary<string, string> Metadata);

/// <summary>One entry of a listing.</summary>
public sealed record BlobItem(string Name, BlobItemProperties Properties, IReadOnlyDictionary<string, string> Metadata);

/// <summary>The properties a listing reports for a blob.</summary>
public sealed record BlobItemProperties(long? ContentLength, ETag? ETag, DateTimeOffset? LastModified, string? BlobType, string? ContentType);

/// <summary>A downloaded blob, buffered in memory (small blobs only: items, indexes, ledger tails).</summary>
public sealed record BlobDownloadResult(BinaryData Content, BlobProperties Details);

/// <summary>Write preconditions: <c>If-Match</c> (optimistic concurrency) or <c>If-None-Match: *</c> (create only).</summary>
public sealed record BlobRequestConditions
{
    /// <summary>Create only: fail with 409/412 when the blob exists.</summary>
    public static BlobRequestConditions IfNotExists { get; } = new() { IfNoneMatch = ETag.All };

    public ETag? IfMatch { get; init; }

    public ETag? IfNoneMatch { get; init; }

    public static BlobRequestConditions IfUnchanged(ETag etag) => new() { IfMatch = etag };
}

/// <summary>Options for an upload.</summary>
public sealed record BlobUploadOptions
{
    public BlobRequestConditions? Conditions { get; init; }

    /// <summary>Stored as the blob's Content-Type.</summary>
    public string? ContentType { get; init; }

    /// <summary>Stored as x-ms-meta-* (ASCII names; values must be header-safe).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
