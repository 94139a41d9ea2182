using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Storage.Azure;

/// <summary>
/// The evidence store in an Azure Blob container, with the folder store's names (<see cref="StoreLayout"/>), so a
/// folder store can be copied into a container and back. The store rules live in <see cref="EvidenceStoreBase"/>;
/// this class supplies Blob primitives: create-only puts (<c>If-None-Match: *</c>), ETag-conditional replaces for
/// the indexes, streamed reads, paged listings, and an append-blob ledger segment per writer.
/// </summary>
public sealed class AzureBlobEvidenceStore : EvidenceStoreBase
{
    /// <summary>The container used when a store spec does not name one.</summary>
    public const string DefaultContainerName = "evidence";

    /// <summary>How far apart the clocks behind an item's and a ledger part's Last-Modified may be.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(15);
    private static int _instances;

    // Blocks of 4 MiB, two in flight: a large payload never sits in memory whole (the SDK's single-put default is 256 MiB).
    private static readonly global::Azure.Storage.StorageTransferOptions DefaultTransfer = new()
    {
        InitialTransferSize = 4 * 1024 * 1024,
        MaximumTransferSize = 4 * 1024 * 1024,
        MaximumConcurrency = 2,
    };

    private readonly BlobContainerClient _container;
    private readonly BlobContainerClient _state;
    private readonly TablesEvidenceIndex _index;
    private readonly SemaphoreSlim _stateReady = new(1, 1);
    private bool _stateCreated;
    private readonly AzureBlobEvidenceStoreOptions _options;
    private readonly BlobLedgerSegment _ledger;
    private readonly ILogger _logger;
    private bool _containerReady;

    /// <param name="container">The evidence container: only create-only writes ever reach it.</param>
    /// <param name="state">The state container (reports, caches, collector state): overwritable, no immutability.</param>
    /// <param name="index">The table that holds the derived index.</param>
    /// <param name="options">Writer id, clock, logging.</param>
    public AzureBlobEvidenceStore(BlobContainerClient container, BlobContainerClient state, TableClient index, AzureBlobEvidenceStoreOptions? options = null)
    {
        _container = container;
        _state = state;
        _options = options ?? new AzureBlobEvidenceStoreOptions();
        if (_options.MaxLedgerBlocksPerPart is < 1 or > 50_000)
        {
            throw new ArgumentOutOfRangeException(nameof(options), _options.MaxLedgerBlocksPerPart, "MaxLedgerBlocksPerPart must be 1–50,000 (an append blob's block limit).");
        }

        _logger = _options.Loggers?.CreateLogger<AzureBlobEvidenceStore>() ?? NullLogger<AzureBlobEvidenceStore>.Instance;
        _index = new TablesEvidenceIndex(index, _logger);
        Segment = SegmentName(_options.WriterId ?? DefaultWriterId());
        _ledger = new BlobLedgerSegment(container, Segment, _options.MaxLedgerBlocksPerPart, _options.TimeProvider, _logger);
    }

    /// <summary>The container URL (never a key).</summary>
    public override string Description => _container.Uri.AbsoluteUri;

    public override string ReportsLocation => _state.Uri.AbsoluteUri;

    public BlobContainerClient Container => _container;

    public BlobContainerClient StateContainer => _state;

    public override IEvidenceIndexStore Index => _index;

    public override async Task<bool> ExistsAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            return await _container.ExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Failure(ex);
        }
    }

    /// <summary>This writer's ledger segment name.</summary>
    public string Segment { get; }

    // ---- raw payloads ---------------------------------------------------------------------------

    /// <summary>
    /// Stores a payload under its SHA-256. A seekable stream is hashed in a first pass and then uploaded from the
    /// same position; a non-seekable one is spooled to a temporary file while it is hashed (the name is only known
    /// at the end, and Azurite cannot copy staged blocks to another name). Memory stays at one upload block.
    /// </summary>
    protected override bool IsStoreFault(Exception exception) =>
        base.IsStoreFault(exception) || exception is RequestFailedException or AggregateException or HttpRequestException;

    public override async Task<RawRef> PutRawAsync(Stream content, CancellationToken cancellationToken = default)
    {
        if (content.CanSeek)
        {
            return await PutSeekableRawAsync(content, cancellationToken).ConfigureAwait(false);
        }

        var spool = Path.Combine(_options.SpoolDirectory ?? Path.GetTempPath(), $"aims-raw-{Path.GetRandomFileName()}");
        await using var file = new FileStream(spool, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await content.CopyToAsync(file, 81920, cancellationToken).ConfigureAwait(false);
        StoreLog.RawSpooled(_logger, file.Length);
        file.Position = 0;
        return await PutSeekableRawAsync(file, cancellationToken).ConfigureAwait(false);
    }

    private async Task<RawRef> PutSeekableRawAsync(Stream content, CancellationToken cancellationToken)
    {
        var start = content.Position;
        var (sha, length) = await HashAsync(content, cancellationToken).ConfigureAwait(false);
        var path = StoreLayout.RawPath(sha);
        if (await ExistsAsync(path, cancellationToken).ConfigureAwait(false))
        {
            return new RawRef(sha, length, WriteOutcome.AlreadyExists);
        }

        // A stream cannot be replayed after a "no such container" answer, so make sure of the container first.
        try
        {
            await EnsureContainerOnceAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Failure(ex);
        }

        content.Position = start;
        await using var checking = new HashCheckingReadStream(content, sha, path);
        try
        {
            var upload = CreateOnly(path);
            upload.TransferOptions = _options.TransferOptions ?? DefaultTransfer;

            await _container.GetBlobClient(path).UploadAsync(checking, upload, cancellationToken).ConfigureAwait(false);
            return new RawRef(sha, length, WriteOutcome.Created);
        }
        catch (RequestFailedException ex) when (IsAlreadyExists(ex))
        {
            // Same name, so the same bytes: stored by an earlier attempt or a concurrent writer.
            return new RawRef(sha, length, WriteOutcome.AlreadyExists);
        }
        catch (Exception ex) when (ex is RequestFailedException or AggregateException or HttpRequestException)
        {
            throw Failure(ex);
        }
    }

    // ---- primitives -----------------------------------------------------------------------------

    protected override async Task<bool> TryCreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        try
        {
            await WithContainerAsync(() => _container.GetBlobClient(path).UploadAsync(BinaryData.FromBytes(content), CreateOnly(path), cancellationToken), cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (IsAlreadyExists(ex))
        {
            // Also the answer to a retry of a put whose first attempt landed unseen: the base then reads the stored
            // item and completes its ledger entry and index, exactly once.
            return false;
        }
    }

    protected override async Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var download = await _container.GetBlobClient(path).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    protected override async Task WriteStateAsync(string name, Stream content, CancellationToken cancellationToken)
    {
        await EnsureStateContainerAsync(cancellationToken).ConfigureAwait(false);
        await _state.GetBlobClient(name).UploadAsync(content, new BlobUploadOptions { HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeOf(name) } }, cancellationToken).ConfigureAwait(false);
    }

    protected override async Task<Stream?> OpenStateAsync(string name, CancellationToken cancellationToken)
    {
        try
        {
            var download = await _state.GetBlobClient(name).DownloadStreamingAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return download.Value.Content;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    protected override async IAsyncEnumerable<string> ListStateAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in ListBlobsAsync(_state, prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return blob.Name;
        }
    }

    private async Task EnsureStateContainerAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _stateCreated))
        {
            return;
        }

        await _stateReady.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_stateCreated)
            {
                await _state.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _stateCreated, true);
            }
        }
        finally
        {
            _stateReady.Release();
        }
    }

    protected override async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in ListBlobsAsync(_container, prefix, cancellationToken).ConfigureAwait(false))
        {
            yield return blob.Name;
        }
    }

    /// <summary>Blobs under a prefix, page by page; a container that does not exist yet holds nothing.</summary>
    internal static async IAsyncEnumerable<BlobItem> ListBlobsAsync(BlobContainerClient container, string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var pages = container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).AsPages().GetAsyncEnumerator(cancellationToken);
        await using (pages.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await pages.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (RequestFailedException ex) when (IsContainerMissing(ex))
                {
                    yield break;
                }

                foreach (var blob in pages.Current.Values)
                {
                    yield return blob;
                }
            }
        }
    }

    /// <summary>
    /// Appends the item's entry to this writer's segment and records it in the index, once per item across writers. The
    /// writer whose create-only put stored the item appends its entry: the put already chose one writer. A writer that
    /// found the item stored (a redelivery, or a concurrent writer of the same item) leaves it to the creator while the
    /// creator may still be at work, and completes it only when the creator is presumed dead (see
    /// <see cref="CompleteContestedAsync"/>).
    /// </summary>
    protected override async Task AppendLedgerAsync(EvidenceItem item, bool redelivered, CancellationToken cancellationToken)
    {
        var append = redelivered ? await CompleteContestedAsync([item], cancellationToken).ConfigureAwait(false) : [item];
        await AppendAndRecordAsync(append, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A batch in steps, each item keeping the single write's order (item blob, ledger entry, index): the item blobs in
    /// parallel (create-only); the entries of the items this writer created in one Append Block (chained in batch order)
    /// and their index rows in one transaction per partition; then, for items found already stored, one index lookup each
    /// and, where the ledger lacks the item, the stored item completed as <see cref="CompleteContestedAsync"/> says (a
    /// second Append Block, only in a redelivery or a race). A crash between any two steps leaves items
    /// whose index state is not <c>ledgered</c>, which the redelivered batch completes exactly as a single write does.
    /// </summary>
    protected override async Task<IReadOnlyList<WriteOutcome>> PutSealedItemsAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new WriteOutcome[items.Count];
        var created = new EvidenceItem?[items.Count];
        var contested = new EvidenceItem?[items.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), new ParallelOptions { MaxDegreeOfParallelism = MaxParallelPuts, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var item = items[i];
            if (await TryCreateAsync(StoreLayout.ItemPath(item.Id), EvidenceItemJson.ToBytes(item), ct).ConfigureAwait(false))
            {
                outcomes[i] = WriteOutcome.Created;
                created[i] = item;
                return;
            }

            outcomes[i] = WriteOutcome.AlreadyExists;
            if (!await _index.ContainsItemAsync(item.Id, ct).ConfigureAwait(false))
            {
                contested[i] = await GetItemAsync(item.Id, ct).ConfigureAwait(false) ?? item;
            }
        }).ConfigureAwait(false);

        // This writer's own items first: another writer may be waiting for them while this one waits for its items.
        await AppendAndRecordAsync(created.OfType<EvidenceItem>().ToList(), cancellationToken).ConfigureAwait(false);
        var completed = new HashSet<string>((await CompleteContestedAsync(contested.OfType<EvidenceItem>().ToList(), cancellationToken).ConfigureAwait(false)).Select(c => c.Id), StringComparer.Ordinal);
        await AppendAndRecordAsync(contested.OfType<EvidenceItem>().Where(c => completed.Contains(c.Id)).ToList(), cancellationToken).ConfigureAwait(false);
        return outcomes;
    }

    private const int MaxParallelPuts = 8;

    /// <summary>
    /// Items stored by another writer (or an earlier attempt) whose ledger entry is not indexed. While an item's blob is
    /// younger than the claim patience its creator may still be appending: wait for the entry. After that the creator is
    /// presumed dead and one of the writers that found the item claims it in the index; the claimant searches the ledger
    /// parts written since the item was stored (the creator may have appended and died before indexing) and either
    /// indexes the entry it finds or returns the item for appending. A writer that loses the claim waits for the
    /// claimant's entry the same way. Returns the items this writer must append.
    /// </summary>
    private async Task<IReadOnlyList<EvidenceItem>> CompleteContestedAsync(IReadOnlyList<EvidenceItem> contested, CancellationToken cancellationToken)
    {
        if (contested.Count == 0)
        {
            return [];
        }

        StoreLog.WaitingForCreator(_logger, contested.Count, _options.ClaimPatience.TotalSeconds);
        var orphans = new ConcurrentBag<EvidenceItem>();
        await Parallel.ForEachAsync(contested, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelPuts, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            if (!await WaitForCreatorAsync(item.Id, ct).ConfigureAwait(false))
            {
                orphans.Add(item);
            }
        }).ConfigureAwait(false);

        if (orphans.IsEmpty)
        {
            return [];
        }

        var claimed = await _index.TryClaimAsync(orphans.Select(o => o.Id).ToList(), Segment, cancellationToken).ConfigureAwait(false);
        var append = new ConcurrentBag<EvidenceItem>();
        await Parallel.ForEachAsync(orphans, new ParallelOptions { MaxDegreeOfParallelism = MaxParallelPuts, CancellationToken = cancellationToken }, async (item, ct) =>
        {
            var finished = claimed.Contains(item.Id)
                ? await IndexIfLedgeredAsync(item, ct).ConfigureAwait(false)
                : await WaitForLedgeredAsync(item.Id, _options.ClaimPatience, ct).ConfigureAwait(false) || await IndexIfLedgeredAsync(item, ct).ConfigureAwait(false);
            if (!finished)
            {
                append.Add(item);
            }
        }).ConfigureAwait(false);
        return [.. append];
    }

    /// <summary>True once the item's entry is indexed; false once its blob is older than the claim patience without it.</summary>
    private async Task<bool> WaitForCreatorAsync(string itemId, CancellationToken cancellationToken)
    {
        var step = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var age = await ItemAgeAsync(itemId, cancellationToken).ConfigureAwait(false);
            if (age >= _options.ClaimPatience)
            {
                return await _index.ContainsItemAsync(itemId, cancellationToken).ConfigureAwait(false);
            }

            if (await WaitForLedgeredAsync(itemId, _options.ClaimPatience - age, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            step = TimeSpan.FromMilliseconds(Math.Min(step.TotalMilliseconds * 2, 1000));
            await Task.Delay(step, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>How long ago the item's blob was stored, by the service's clock (its answer's Date against the blob's Last-Modified).</summary>
    private async Task<TimeSpan> ItemAgeAsync(string itemId, CancellationToken cancellationToken)
    {
        var properties = await _container.GetBlobClient(StoreLayout.ItemPath(itemId)).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var now = properties.GetRawResponse().Headers.Date ?? DateTimeOffset.UtcNow;
        return now - properties.Value.LastModified;
    }

    /// <summary>Indexes the item when its entry is in the ledger (appended by a writer that died before indexing it).</summary>
    private async Task<bool> IndexIfLedgeredAsync(EvidenceItem item, CancellationToken cancellationToken)
    {
        if (!await LedgerContainsAsync(item.Id, cancellationToken).ConfigureAwait(false))
        {
            return false;
        }

        await _index.RecordAsync([IndexedObservation.For(item)], cancellationToken).ConfigureAwait(false);
        return true;
    }

    private async Task AppendAndRecordAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken)
    {
        if (items.Count == 0)
        {
            return;
        }

        try
        {
            await _ledger.AppendAsync(items, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsContainerMissing(ex))
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            await _ledger.AppendAsync(items, cancellationToken).ConfigureAwait(false);
        }

        await _index.RecordAsync(items.Select(IndexedObservation.For).ToList(), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True once the item's entry is indexed; false when <paramref name="patience"/> passed without it.</summary>
    private async Task<bool> WaitForLedgeredAsync(string itemId, TimeSpan patience, CancellationToken cancellationToken)
    {
        var waited = TimeSpan.Zero;
        var step = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            if (await _index.ContainsItemAsync(itemId, cancellationToken).ConfigureAwait(false))
            {
                return true;
            }

            if (waited >= patience)
            {
                return false;
            }

            await Task.Delay(step, cancellationToken).ConfigureAwait(false);
            waited += step;
            step = TimeSpan.FromMilliseconds(Math.Min(step.TotalMilliseconds * 2, 1000));
        }
    }

    /// <summary>Every segment's entries, segment after segment, each in chain order (parts in order).</summary>
    public override async IAsyncEnumerable<LedgerEntry> ReadLedgerAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Part names are few (one per 49,000 appends of a writer); collect them to read each in name order.
        var parts = new List<string>();
        await foreach (var blob in ListBlobsAsync(_container, StoreLayout.LedgerPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                parts.Add(blob.Name);
            }
        }

        parts.Sort(StringComparer.Ordinal);
        foreach (var part in parts)
        {
            await foreach (var entry in ReadPartAsync(part, cancellationToken).ConfigureAwait(false))
            {
                yield return entry;
            }
        }
    }

    /// <summary>Each ledger part's last entry by one ranged read of its end (the listing gives each part's length).</summary>
    protected override async IAsyncEnumerable<LedgerEntry> ReadLedgerTailsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var blob in ListBlobsAsync(_container, StoreLayout.LedgerPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name.EndsWith(".jsonl", StringComparison.Ordinal)
                && await BlobLedgerSegment.ReadLastEntryAsync(_container, blob.Name, blob.Properties.ContentLength ?? 0, cancellationToken).ConfigureAwait(false) is { } last)
            {
                yield return last;
            }
        }
    }

    /// <summary>
    /// Redelivery check, cheaper than the base's full scan: first this writer's own recent appends, then only the
    /// ledger parts written since the item was created (an entry is always appended after its item).
    /// </summary>
    private async Task<bool> LedgerContainsAsync(string itemId, CancellationToken cancellationToken)
    {
        if (_ledger.AppendedRecently(itemId))
        {
            return true;
        }

        DateTimeOffset? created;
        try
        {
            created = (await _container.GetBlobClient(StoreLayout.ItemPath(itemId)).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.LastModified;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            created = null;
        }

        var since = (created ?? DateTimeOffset.MinValue) - ClockSkew;
        var candidates = new List<string>();
        await foreach (var blob in ListBlobsAsync(_container, StoreLayout.LedgerPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (blob.Name.EndsWith(".jsonl", StringComparison.Ordinal) && (blob.Properties.LastModified is null || blob.Properties.LastModified >= since))
            {
                candidates.Add(blob.Name);
            }
        }

        foreach (var part in candidates)
        {
            await foreach (var entry in ReadPartAsync(part, cancellationToken).ConfigureAwait(false))
            {
                if (entry.ItemId == itemId)
                {
                    return true;
                }
            }
        }

        return false;
    }

    // ---- helpers --------------------------------------------------------------------------------

    private async IAsyncEnumerable<LedgerEntry> ReadPartAsync(string part, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Stream? stream = await OpenReadAsync(part, cancellationToken).ConfigureAwait(false);
        if (stream is null)
        {
            yield break;
        }

        await using (stream.ConfigureAwait(false))
        {
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var lineNumber = 0;
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                lineNumber++;
                if (line.Length == 0)
                {
                    continue;
                }

                LedgerEntry entry;
                try
                {
                    entry = LedgerEntry.ParseLine(line);
                }
                catch (FormatException ex)
                {
                    throw new FormatException($"{part} line {lineNumber}: {ex.Message}", ex);
                }

                yield return entry;
            }
        }
    }

    private async Task<bool> ExistsAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            await _container.GetBlobClient(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }
    }

    /// <summary>Runs a write; when the container does not exist yet, creates it and runs the write again.</summary>
    private async Task WithContainerAsync<T>(Func<Task<T>> write, CancellationToken cancellationToken)
    {
        try
        {
            await write().ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (IsContainerMissing(ex))
        {
            await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
            await write().ConfigureAwait(false);
        }
    }

    /// <summary>Creates the container if needed, once per store object (before writes whose content cannot be replayed).</summary>
    private async Task EnsureContainerOnceAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref _containerReady))
        {
            return;
        }

        await EnsureContainerAsync(cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _containerReady, true);
    }

    private async Task EnsureContainerAsync(CancellationToken cancellationToken)
    {
        if (await _container.CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false) is not null)
        {
            StoreLog.ContainerCreated(_logger, _container.Uri.AbsoluteUri);
        }
    }

    private static async Task<(string Sha256, long Length)> HashAsync(Stream content, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[81920];
        long length = 0;
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
            length += read;
        }

        return (Convert.ToHexStringLower(hash.GetHashAndReset()), length);
    }

    private static BlobUploadOptions CreateOnly(string path) =>
        new() { Conditions = new BlobRequestConditions { IfNoneMatch = ETag.All }, HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeOf(path) } };

    private static bool IsAlreadyExists(RequestFailedException ex) =>
        (ex.Status == 409 && ex.ErrorCode is "BlobAlreadyExists" or null) || (ex.Status == 412 && ex.ErrorCode is "ConditionNotMet" or null);

    private static bool IsContainerMissing(RequestFailedException ex) => ex.Status == 404 && ex.ErrorCode == "ContainerNotFound";

    private static string ContentTypeOf(string path) => path switch
    {
        _ when path.StartsWith(StoreLayout.RawPrefix, StringComparison.Ordinal) => "application/octet-stream",
        _ when path.EndsWith(".json", StringComparison.Ordinal) => "application/json",
        _ when path.EndsWith(".jsonl", StringComparison.Ordinal) => "application/x-ndjson",
        _ when path.EndsWith(".md", StringComparison.Ordinal) => "text/markdown; charset=utf-8",
        _ when path.EndsWith(".html", StringComparison.Ordinal) => "text/html; charset=utf-8",
        _ when path.EndsWith(".csv", StringComparison.Ordinal) => "text/csv; charset=utf-8",
        _ when path.EndsWith(".zip", StringComparison.Ordinal) => "application/zip",
        _ => "application/octet-stream",
    };

    /// <summary>Keeps lowercase letters, digits and single '-' so the writer id is a safe blob name segment.</summary>
    internal static string SegmentName(string writerId)
    {
        var builder = new StringBuilder(writerId.Length);
        foreach (var c in writerId.ToLowerInvariant())
        {
            var keep = char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) ? c : '-';
            if (keep != '-' || (builder.Length > 0 && builder[^1] != '-'))
            {
                builder.Append(keep);
            }
        }

        var name = builder.ToString().Trim('-');
        if (name.Length > 60)
        {
            name = name[..60].TrimEnd('-');
        }

        return name.Length > 0 ? name : throw new ArgumentException($"Writer id '{writerId}' has no letters or digits to name a ledger segment.", nameof(writerId));
    }

    /// <summary>Host, process and instance: distinct for every store object that may append at the same time.</summary>
    private static string DefaultWriterId() =>
        $"{Environment.MachineName}-{Environment.ProcessId}-{Interlocked.Increment(ref _instances)}";
}
