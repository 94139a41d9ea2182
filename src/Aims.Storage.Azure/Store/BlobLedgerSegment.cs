using System.Globalization;
using System.Text;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Microsoft.Extensions.Logging;

namespace Aims.Storage.Azure;

/// <summary>
/// One writer's hash chain in the ledger: append blobs <c>ledger/{segment}/{part:D6}.jsonl</c>, one JSON line per
/// item, each line chained to the previous one (across parts too). Appends are conditional on the blob's length
/// (<c>x-ms-blob-condition-appendpos</c>), so an append whose first attempt landed unseen is recognised instead of
/// written twice, and a writer that shares the segment by mistake makes the other re-read the tail instead of
/// forking the chain.
/// </summary>
internal sealed class BlobLedgerSegment(BlobContainerClient container, string segment, int maxBlocksPerPart, TimeProvider time, ILogger logger)
{
    private const int MaxAttempts = 32;

    /// <summary>The largest Append Block the service takes in every API version.</summary>
    private const int MaxBlockBytes = 4 * 1024 * 1024;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly HashSet<string> _appended = new(StringComparer.Ordinal);
    private Tail? _tail;

    public string Segment => segment;

    public static string PartPath(string segment, int part) => $"{StoreLayout.LedgerPrefix}{segment}/{part:D6}.jsonl";

    /// <summary>True when this writer appended <paramref name="itemId"/> to its current part (no request needed).</summary>
    public bool AppendedRecently(string itemId)
    {
        lock (_appended)
        {
            return _appended.Contains(itemId);
        }
    }

    public Task AppendAsync(EvidenceItem item, CancellationToken cancellationToken) => AppendAsync([item], cancellationToken);

    /// <summary>
    /// Appends one entry per item, in order, chained: as few Append Blocks as the block size allows (one for a job's
    /// batch), each conditional on the part's length like a single append.
    /// </summary>
    public async Task AppendAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            for (var done = 0; done < items.Count;)
            {
                done += await AppendBlockAsync(items, done, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Appends the entries of <paramref name="items"/> from <paramref name="from"/> that fit one block; returns how many.</summary>
    private async Task<int> AppendBlockAsync(IReadOnlyList<EvidenceItem> items, int from, CancellationToken cancellationToken)
    {
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            var tail = _tail ??= await LoadTailAsync(cancellationToken).ConfigureAwait(false);
            if (tail.Blocks >= maxBlocksPerPart)
            {
                tail = _tail = await StartPartAsync(tail.Part + 1, tail.Last, cancellationToken).ConfigureAwait(false);
            }

            var (entries, block) = Chain(items, from, tail.Last);
            var blob = PartPath(segment, tail.Part);
            try
            {
                var appended = await container.GetAppendBlobClient(blob).AppendBlockAsync(
                    new MemoryStream(block, writable: false),
                    new AppendBlobAppendBlockOptions { Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = tail.Length } },
                    cancellationToken).ConfigureAwait(false);
                Advance(tail, entries, block.Length, appended.Value.BlobCommittedBlockCount);
                return entries.Count;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && ex.ErrorCode == "AppendPositionConditionNotMet")
            {
                // Either an earlier attempt of this very append landed (its response was lost and the pipeline
                // retried), or someone else appended here. The bytes at our position tell which.
                if (await HoldsAtAsync(blob, tail.Length, block, cancellationToken).ConfigureAwait(false))
                {
                    StoreLog.LedgerAppendLanded(logger, blob, tail.Length);
                    Advance(tail, entries, block.Length, tail.Blocks + 1);
                    return entries.Count;
                }

                StoreLog.LedgerAppendConflict(logger, blob, tail.Length);
                _tail = null;
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == "BlockCountExceedsLimit")
            {
                _tail = await StartPartAsync(tail.Part + 1, tail.Last, cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // The part (or the container) is gone: re-read, which creates what is missing.
                _tail = null;
            }
        }

        throw new IOException($"Could not append item {items[from].Id} to ledger segment '{segment}' after {MaxAttempts} attempts: the segment's tail keeps moving (is another writer using writer id '{segment}'?).");
    }

    /// <summary>The entries for items from <paramref name="from"/> chained after <paramref name="last"/>, up to one block's bytes.</summary>
    private (List<LedgerEntry> Entries, byte[] Block) Chain(IReadOnlyList<EvidenceItem> items, int from, LedgerEntry? last)
    {
        var entries = new List<LedgerEntry>();
        using var block = new MemoryStream();
        var now = time.GetUtcNow();
        for (var i = from; i < items.Count; i++)
        {
            var entry = LedgerEntry.Create(items[i], segment, (last?.Sequence ?? 0) + 1, last?.Hash ?? LedgerEntry.GenesisHash, now);
            var line = Encoding.UTF8.GetBytes(entry.ToLine() + "\n");
            if (entries.Count > 0 && block.Length + line.Length > MaxBlockBytes)
            {
                break;
            }

            block.Write(line);
            entries.Add(entry);
            last = entry;
        }

        return (entries, block.ToArray());
    }

    private void Advance(Tail tail, List<LedgerEntry> entries, int bytes, int blocks)
    {
        _tail = tail with { Length = tail.Length + bytes, Blocks = blocks < 0 ? tail.Blocks + 1 : blocks, Last = entries[^1] };
        lock (_appended)
        {
            foreach (var entry in entries)
            {
                _appended.Add(entry.ItemId);
            }
        }
    }

    /// <summary>Finds the segment's newest part and its last entry, creating the first part when the segment is new.</summary>
    private async Task<Tail> LoadTailAsync(CancellationToken cancellationToken)
    {
        var latest = -1;
        var prefix = $"{StoreLayout.LedgerPrefix}{segment}/";
        await foreach (var blob in container.GetBlobsAsync(new GetBlobsOptions { Prefix = prefix }, cancellationToken).ConfigureAwait(false))
        {
            if (ParsePart(blob.Name[prefix.Length..]) is { } part && part > latest)
            {
                latest = part;
            }
        }

        if (latest < 0)
        {
            return await StartPartAsync(0, null, cancellationToken).ConfigureAwait(false);
        }

        var properties = (await container.GetBlobClient(PartPath(segment, latest)).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        var last = await ReadLastEntryAsync(container, PartPath(segment, latest), properties.ContentLength, cancellationToken).ConfigureAwait(false);
        for (var earlier = latest - 1; last is null && earlier >= 0; earlier--)
        {
            // A part created just before a crash can be empty: the chain goes on from the part before it.
            var path = PartPath(segment, earlier);
            var length = (await container.GetBlobClient(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.ContentLength;
            last = await ReadLastEntryAsync(container, path, length, cancellationToken).ConfigureAwait(false);
        }

        lock (_appended)
        {
            _appended.Clear();
        }

        return new Tail(latest, properties.ContentLength, properties.BlobCommittedBlockCount, last);
    }

    private async Task<Tail> StartPartAsync(int part, LedgerEntry? last, CancellationToken cancellationToken)
    {
        var path = PartPath(segment, part);
        try
        {
            await container.GetAppendBlobClient(path).CreateAsync(
                new AppendBlobCreateOptions
                {
                    Conditions = new AppendBlobRequestConditions { IfNoneMatch = ETag.All },
                    HttpHeaders = new BlobHttpHeaders { ContentType = "application/x-ndjson" },
                },
                cancellationToken).ConfigureAwait(false);
            StoreLog.LedgerPartStarted(logger, segment, path);
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412)
        {
            // Created by an earlier attempt or by another writer of this segment: read what it holds.
            var properties = (await container.GetBlobClient(path).GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
            if (properties.ContentLength > 0)
            {
                var tail = await ReadLastEntryAsync(container, path, properties.ContentLength, cancellationToken).ConfigureAwait(false);
                return new Tail(part, properties.ContentLength, properties.BlobCommittedBlockCount, tail ?? last);
            }
        }

        lock (_appended)
        {
            _appended.Clear();
        }

        return new Tail(part, 0, 0, last);
    }

    /// <summary>True when the blob holds exactly <paramref name="expected"/> at <paramref name="offset"/>.</summary>
    private async Task<bool> HoldsAtAsync(string blob, long offset, byte[] expected, CancellationToken cancellationToken)
    {
        try
        {
            var range = await container.GetBlobClient(blob).DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset, expected.Length) }, cancellationToken).ConfigureAwait(false);
            return range.Value.Content.ToMemory().Span.SequenceEqual(expected);
        }
        catch (RequestFailedException ex) when (ex.Status == 416)
        {
            return false;
        }
    }

    /// <summary>Reads the last complete line of a part from its end (<see cref="LedgerTail"/>): appends are whole lines.</summary>
    internal static Task<LedgerEntry?> ReadLastEntryAsync(BlobContainerClient container, string blob, long length, CancellationToken cancellationToken) =>
        LedgerTail.ReadLastEntryAsync(blob, length, async (offset, count, ct) =>
            (await container.GetBlobClient(blob).DownloadContentAsync(new BlobDownloadOptions { Range = new HttpRange(offset, count) }, ct).ConfigureAwait(false)).Value.Content.ToArray(),
            tornTailAllowed: false, cancellationToken);

    private static int? ParsePart(string name) =>
        name.Length == 12 && name.EndsWith(".jsonl", StringComparison.Ordinal) && int.TryParse(name.AsSpan(0, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var part)
            ? part
            : null;

    private sealed record Tail(int Part, long Length, int Blocks, LedgerEntry? Last);
}
