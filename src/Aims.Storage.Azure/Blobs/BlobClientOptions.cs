using Azure.Core;

namespace Aims.Storage.Azure.Blobs;

/// <summary>Options for <see cref="BlobContainerClient"/>: Azure.Core's retry, transport and diagnostics, plus upload sizes.</summary>
public sealed class BlobClientOptions : ClientOptions
{
    public const int DefaultBlockSize = 8 * 1024 * 1024;

    public BlobClientOptions() => StorageClientDefaults.Apply(this);

    /// <summary>
    /// Bytes per staged block for large uploads; also the largest payload sent as one Put Blob.
    /// An upload holds one buffer of this size, whatever the payload size.
    /// </summary>
    public int BlockSize { get; set; } = DefaultBlockSize;

    /// <summary>Page size for listings (the service caps it at 5000).</summary>
    public int ListPageSize { get; set; } = 5000;

    /// <summary>The clock for x-ms-date (SharedKey signing).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
