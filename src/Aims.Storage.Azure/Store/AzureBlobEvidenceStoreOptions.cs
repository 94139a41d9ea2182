using Azure.Storage.Blobs;
using Microsoft.Extensions.Logging;

namespace Aims.Storage.Azure;

/// <summary>Options for <see cref="AzureBlobEvidenceStore"/>.</summary>
public sealed record AzureBlobEvidenceStoreOptions
{
    /// <summary>
    /// Names this writer's ledger segment (<c>ledger/{segment}/{part}.jsonl</c>). Each process or instance should have
    /// its own so concurrent writers never contend on one append blob; sharing one is still correct, only slower.
    /// Lowercase letters, digits and '-' are kept; null means host name, process id and a per-process counter.
    /// </summary>
    public string? WriterId { get; init; }

    /// <summary>Clock for ledger timestamps (always the real clock in production: never an analysis date).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Retry, timeout and transport settings of the Blob client (only used by <see cref="EvidenceStores"/>).</summary>
    public BlobClientOptions? ClientOptions { get; init; }

    public ILoggerFactory? Loggers { get; init; }

    /// <summary>
    /// Appends per ledger part before the segment continues in the next part. An append blob holds at most
    /// 50,000 blocks; the default leaves headroom.
    /// </summary>
    public int MaxLedgerBlocksPerPart { get; init; } = 49_000;

    /// <summary>
    /// How long a writer that finds an item claimed by another writer waits for that writer's ledger entry before it
    /// searches the ledger and, when the entry is missing (the claiming writer died), appends it itself.
    /// </summary>
    public TimeSpan ClaimPatience { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Block sizes of raw payload uploads (null: the SDK's defaults). Memory stays near one block per upload.</summary>
    public global::Azure.Storage.StorageTransferOptions? TransferOptions { get; init; }

    /// <summary>Where a raw payload from a non-seekable stream is spooled while it is hashed (default: the temp folder).</summary>
    public string? SpoolDirectory { get; init; }
}
