using System.IO.Compression;
using System.Text;
using Aims.Evidence.Catalog;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Reporting.IO;

namespace Aims.Reporting.Bundle;

/// <summary>
/// Builds the auditor bundle: a zip written straight to the output stream (it may be an HTTP response), holding the
/// selected evidence items byte for byte, their raw payloads, the ledger proof, controls.csv, index.html,
/// manifest.json and SHA256SUMS. Items are streamed one at a time from the ledger walk and every file is hashed as
/// it is written, so memory stays flat and nothing is read twice.
/// </summary>
public sealed class BundleWriter(IEvidenceStore store, TimeProvider? time = null, ControlCatalog? catalog = null)
{
    private const int MaxItemBytes = 64 * 1024 * 1024;
    private const int SummaryLength = 300;
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ControlCatalog _catalog = catalog ?? ControlCatalog.Default;

    /// <summary>Writes the bundle for <paramref name="request"/> to <paramref name="output"/>, which is left open.</summary>
    /// <exception cref="ArgumentException">The request is invalid (period, unknown control).</exception>
    /// <exception cref="InvalidDataException">The store lacks an item or raw payload its ledger records.</exception>
    public async Task<BundleResult> WriteAsync(BundleRequest request, Stream output, IProgress<BundleProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        request.Validate(_catalog);
        var controlFilter = request.NormalizedControls(_catalog);
        var createdAt = _time.GetUtcNow();
        var state = new State(request, controlFilter, createdAt, progress);

        // A seekable output takes the zip as it is; any other may be an async-only response body.
        var buffer = output.CanSeek ? null : new AsyncWriteBuffer(output);
        var zip = await ZipArchive.CreateAsync(buffer ?? output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            await WriteEvidenceAsync(zip, state, cancellationToken).ConfigureAwait(false);
            state.Report(BundleStage.Ledger);
            await WriteLedgerAsync(zip, state, cancellationToken).ConfigureAwait(false);
            state.Report(BundleStage.Index);

            await WriteEntryAsync(zip, state, BundleLayout.LedgerReadme, CompressionLevel.Optimal,
                (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(LedgerReadme.Text.ReplaceLineEndings("\n") + "\n"), ct).AsTask(), cancellationToken).ConfigureAwait(false);

            var controls = request.Report.Controls
                .Where(c => controlFilter.Count == 0 || controlFilter.Contains(c.Control.Id, StringComparer.OrdinalIgnoreCase))
                .ToList();
            var itemCounts = state.Items
                .SelectMany(i => i.Controls.Distinct(StringComparer.OrdinalIgnoreCase))
                .GroupBy(c => c, StringComparer.OrdinalIgnoreCase)
                .ToDictionary(g => g.Key, g => g.Count(), StringComparer.OrdinalIgnoreCase);
            await WriteEntryAsync(zip, state, BundleLayout.ControlsCsv, CompressionLevel.Optimal,
                (s, ct) => ControlsCsvWriter.WriteAsync(s, controls, itemCounts, ct), cancellationToken).ConfigureAwait(false);
            await WriteEntryAsync(zip, state, BundleLayout.IndexHtml, CompressionLevel.Optimal,
                (s, ct) => BundleIndexPage.WriteAsync(s, request, controlFilter, controls, state.Items, createdAt, BundleIndexExtras.None, ct), cancellationToken).ConfigureAwait(false);

            var manifest = new BundleManifest(
                request.GeneratorName, request.GeneratorVersion, createdAt, request.Report.Organization,
                request.From.ToUniversalTime(), request.To.ToUniversalTime(), controlFilter, request.AiSystem, request.Report.AsOf,
                state.Items.Count, state.RawWritten.Count, state.LedgerEntriesWritten, state.Files.ToList());
            await WriteEntryAsync(zip, state, BundleLayout.Manifest, CompressionLevel.Optimal, manifest.WriteAsync, cancellationToken).ConfigureAwait(false);

            var sums = Encoding.UTF8.GetBytes(Sha256Sums.Format(state.Files));
            await WriteEntryAsync(zip, state, BundleLayout.Sha256Sums, CompressionLevel.Optimal,
                (s, ct) => s.WriteAsync(sums, ct).AsTask(), cancellationToken).ConfigureAwait(false);
        }

        if (buffer is not null)
        {
            await buffer.FlushAsync(cancellationToken).ConfigureAwait(false);
            await buffer.DisposeAsync().ConfigureAwait(false);
        }

        state.Report(BundleStage.Done);
        return new BundleResult(state.Items.Count, state.RawWritten.Count, state.LedgerEntriesWritten, state.Files.Count + 1, state.ContentBytes, state.Warnings);
    }

    /// <summary>
    /// Writes the bundle to a file (created or replaced). It is written beside the target and renamed into place when
    /// complete, so a failed or cancelled build never leaves a zip that looks whole.
    /// </summary>
    public async Task<BundleResult> WriteFileAsync(BundleRequest request, string path, IProgress<BundleProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var partial = full + ".partial";
        try
        {
            BundleResult result;
            var file = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
            await using (file.ConfigureAwait(false))
            {
                result = await WriteAsync(request, file, progress, cancellationToken).ConfigureAwait(false);
            }

            File.Move(partial, full, overwrite: true);
            return result;
        }
        finally
        {
            File.Delete(partial);
        }
    }

    private async Task WriteEvidenceAsync(ZipArchive zip, State state, CancellationToken cancellationToken)
    {
        var request = state.Request;
        await foreach (var entry in store.ReadLedgerAsync(cancellationToken).ConfigureAwait(false))
        {
            state.LedgerEntriesRead++;
            if (!MatchesFilters(entry, state))
            {
                continue;
            }

            if (state.SelectedIds.Contains(entry.ItemId))
            {
                // Recorded twice (a redelivery race): the chain proof must still reach this entry.
                state.MarkSelected(entry);
                continue;
            }

            // An item observed before the period cannot cover it; one observed after may be a population over it.
            if (entry.ObservedAt < request.From)
            {
                continue;
            }

            if (!ItemIds.IsWellFormed(entry.ItemId))
            {
                throw new InvalidDataException($"Ledger segment '{entry.Segment}' entry {entry.Sequence} names item '{entry.ItemId}', which is not a well-formed item id.");
            }

            var bytes = await ReadItemAsync(entry, cancellationToken).ConfigureAwait(false);
            EvidenceItem item;
            try
            {
                item = EvidenceItemJson.Parse(bytes);
            }
            catch (FormatException ex)
            {
                throw new InvalidDataException($"Item {StoreNames.Item(entry.ItemId)} in {store.Description} is unreadable: {ex.Message}", ex);
            }

            var inPeriod = entry.ObservedAt <= request.To || (item.Period?.Overlaps(request.From, request.To) ?? false);
            if (!inPeriod)
            {
                continue;
            }

            if (EvidenceItemJson.ComputeHash(item) != entry.ItemSha256)
            {
                state.Warnings.Add($"{StoreNames.Item(entry.ItemId)}: its content no longer hashes to the ledger's itemSha256 (ledger segment '{entry.Segment}' entry {entry.Sequence}); it is bundled as stored and the bundle will not verify.");
            }

            state.MarkSelected(entry);
            await WriteEntryAsync(zip, state, BundleLayout.ItemPath(entry.ItemId), CompressionLevel.Optimal,
                (s, ct) => s.WriteAsync(bytes, ct).AsTask(), cancellationToken).ConfigureAwait(false);
            state.Items.Add(ToRef(item, state));

            if (item.RawSha256 is { } raw && !state.RawWritten.Contains(raw))
            {
                await WriteRawAsync(zip, state, item, raw, cancellationToken).ConfigureAwait(false);
            }

            state.Report(BundleStage.Evidence);
        }
    }

    private async Task WriteRawAsync(ZipArchive zip, State state, EvidenceItem item, string raw, CancellationToken cancellationToken)
    {
        if (!ItemIds.IsSha256(raw))
        {
            throw new InvalidDataException($"Item {StoreNames.Item(item.Id)} references raw payload '{raw}', which is not a SHA-256.");
        }

        var content = await store.OpenRawAsync(raw, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Item {StoreNames.Item(item.Id)} references raw payload {StoreNames.Raw(raw)}, which is not in {store.Description} (run 'aims verify --store').");
        await using (content.ConfigureAwait(false))
        {
            // Raw payloads are often compressed already (PDF, zip, images): deflating them again costs time for nothing.
            await WriteEntryAsync(zip, state, BundleLayout.RawPath(raw, item.RawMediaType), CompressionLevel.Fastest,
                (s, ct) => content.CopyToAsync(s, 81920, ct), cancellationToken).ConfigureAwait(false);
        }

        state.RawWritten.Add(raw);
    }

    private async Task WriteLedgerAsync(ZipArchive zip, State state, CancellationToken cancellationToken)
    {
        if (state.LastSelected.Count == 0)
        {
            await WriteEntryAsync(zip, state, BundleLayout.LedgerEntries, CompressionLevel.Optimal, (_, _) => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A second walk: a zip is written one file at a time, and the proof runs from each segment's first entry to
        // the last selected one, which only the first walk could tell. Entries appended since are simply not reached.
        await WriteEntryAsync(zip, state, BundleLayout.LedgerEntries, CompressionLevel.Optimal, async (s, ct) =>
        {
            var pending = new HashSet<string>(state.LastSelected.Keys, StringComparer.Ordinal);
            var line = new StringBuilder();
            await foreach (var entry in store.ReadLedgerAsync(ct).ConfigureAwait(false))
            {
                if (!state.LastSelected.TryGetValue(entry.Segment, out var last) || entry.Sequence > last)
                {
                    continue;
                }

                line.Clear().Append(entry.ToLine()).Append('\n');
                await s.WriteAsync(Encoding.UTF8.GetBytes(line.ToString()), ct).ConfigureAwait(false);
                state.LedgerEntriesWritten++;
                if (entry.Sequence == last && pending.Remove(entry.Segment) && pending.Count == 0)
                {
                    break;
                }
            }
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]> ReadItemAsync(LedgerEntry entry, CancellationToken cancellationToken)
    {
        var stream = await store.OpenItemAsync(entry.ItemId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Ledger segment '{entry.Segment}' entry {entry.Sequence} records item {StoreNames.Item(entry.ItemId)}, which is not in {store.Description} (run 'aims verify --store').");
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > MaxItemBytes)
                {
                    throw new InvalidDataException($"Item {StoreNames.Item(entry.ItemId)} is larger than {MaxItemBytes / (1024 * 1024)} MiB; evidence items hold facts, payloads belong in raw/.");
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }

    private static bool MatchesFilters(LedgerEntry entry, State state) =>
        (state.ControlFilter.Count == 0 || entry.Controls.Any(c => state.ControlFilter.Contains(c, StringComparer.OrdinalIgnoreCase)))
        && (state.Request.AiSystem is null || entry.AiSystems.Contains(state.Request.AiSystem, StringComparer.OrdinalIgnoreCase));

    private static BundleItemRef ToRef(EvidenceItem item, State state)
    {
        var requirementIds = state.Request.Report.Requirements
            .Where(r => r.Requirement.Kind == item.IndexKind && r.Requirement.Scope.Matches(item))
            .Select(r => r.Requirement.Id)
            .ToArray();
        var summary = item.Summary.Length <= SummaryLength ? item.Summary : item.Summary[..SummaryLength] + "…";
        return new BundleItemRef(item.Id, item.Kind, item.Subject.Key, item.Subject.DisplayName, item.ObservedAt, item.Controls,
            item.Subject.AiSystemIds, requirementIds, summary, item.RawSha256)
        {
            EvidenceDate = item.EvidenceDate,
            Period = item.Period,
            Source = $"{item.Source.System} {item.Source.Instance}",
            RawMediaType = item.RawMediaType,
        };
    }

    /// <summary>Writes one file, hashing it on the way, and records its size and hash for the manifest and SHA256SUMS.</summary>
    private static async Task WriteEntryAsync(ZipArchive zip, State state, string path, CompressionLevel level, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(path, level);
        entry.LastWriteTime = state.CreatedAt;
        var target = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (target.ConfigureAwait(false))
        {
            await using var hashing = new HashingStream(target, leaveOpen: true);
            await write(hashing, cancellationToken).ConfigureAwait(false);
            await hashing.FlushAsync(cancellationToken).ConfigureAwait(false);
            state.ContentBytes += hashing.Length64;
            if (path != BundleLayout.Sha256Sums)
            {
                state.Files.Add(new BundleFile(path, hashing.Length64, hashing.HashHex()));
            }
        }
    }

    private sealed class State(BundleRequest request, IReadOnlyList<string> controlFilter, DateTimeOffset createdAt, IProgress<BundleProgress>? progress)
    {
        public BundleRequest Request { get; } = request;

        public IReadOnlyList<string> ControlFilter { get; } = controlFilter;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public List<BundleFile> Files { get; } = [];

        public List<BundleItemRef> Items { get; } = [];

        public HashSet<string> SelectedIds { get; } = new(StringComparer.Ordinal);

        public HashSet<string> RawWritten { get; } = new(StringComparer.Ordinal);

        /// <summary>Per ledger segment, the sequence number of the last entry of a selected item.</summary>
        public Dictionary<string, long> LastSelected { get; } = new(StringComparer.Ordinal);

        public List<string> Warnings { get; } = [];

        public long LedgerEntriesRead { get; set; }

        public long LedgerEntriesWritten { get; set; }

        public long ContentBytes { get; set; }

        public void MarkSelected(LedgerEntry entry)
        {
            SelectedIds.Add(entry.ItemId);
            LastSelected[entry.Segment] = Math.Max(LastSelected.GetValueOrDefault(entry.Segment), entry.Sequence);
        }

        public void Report(BundleStage stage) =>
            progress?.Report(new BundleProgress(stage, LedgerEntriesRead, Items.Count, RawWritten.Count, ContentBytes));
    }
}
