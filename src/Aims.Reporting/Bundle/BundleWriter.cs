using System.Text;
using Aims.Evidence.Catalog;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Evidence.Requirements;
using Aims.Reporting.IO;
using Aims.Reporting.Oscal;
using Aims.Reporting.Signing;
using Aims.Reporting.Soa;

namespace Aims.Reporting.Bundle;

/// <summary>
/// Builds the auditor bundle: a zip written straight to the output stream (it may be an HTTP response), holding the
/// selected evidence items byte for byte, their raw payloads, the ledger proof through the signed checkpoints it relies
/// on, controls.csv, index.html, the Statement of Applicability, OSCAL assessment results, README.txt, manifest.json and
/// SHA256SUMS, and (with a signer) detached signatures of both and the public key. Items are streamed one at a time from
/// the ledger walk and every file is hashed as it is written, so nothing is read twice.
/// </summary>
public sealed class BundleWriter(IEvidenceStore store, TimeProvider? time = null, ControlCatalog? catalog = null)
{
    private const int MaxItemBytes = 64 * 1024 * 1024;
    private const int SummaryLength = 300;
    private const bool Deflate = true;
    private const bool Store = false;
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
        using var state = new State(request, controlFilter, createdAt, progress, MappedKinds(request, controlFilter));
        var signingKey = request.Signer is null ? null : await request.Signer.GetPublicKeyAsync(cancellationToken).ConfigureAwait(false);
        var checkpoints = await LatestCheckpointsAsync(cancellationToken).ConfigureAwait(false);

        var zip = new ZipWriter(output, createdAt);
        using (zip)
        {
            await WriteEvidenceAsync(zip, state, cancellationToken).ConfigureAwait(false);
            state.Report(BundleStage.Ledger);
            var relied = ChooseCheckpoints(state, checkpoints);
            await WriteLedgerAsync(zip, state, relied, cancellationToken).ConfigureAwait(false);
            var checkpointRefs = new List<BundleCheckpointRef>();
            foreach (var (segment, stored) in relied.OrderBy(r => r.Key, StringComparer.Ordinal))
            {
                var path = BundleLayout.CheckpointPath(stored.Name.Split('/')[0]);
                await WriteEntryAsync(zip, state, path, Deflate, (s, ct) => s.WriteAsync(stored.Bytes, ct).AsTask(), cancellationToken).ConfigureAwait(false);
                checkpointRefs.Add(new BundleCheckpointRef(segment, stored.Checkpoint!.Sequence, stored.Checkpoint.HeadHash, path, stored.Checkpoint.PublicKeySha256));
            }

            state.Report(BundleStage.Index);

            await WriteEntryAsync(zip, state, BundleLayout.LedgerReadme, Deflate,
                (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(LedgerReadme.Text.ReplaceLineEndings("\n") + "\n"), ct).AsTask(), cancellationToken).ConfigureAwait(false);

            var controls = request.Report.Controls
                .Where(c => controlFilter.Count == 0 || controlFilter.Contains(c.Control.Id, StringComparer.OrdinalIgnoreCase))
                .ToList();
            var itemCounts = controls.Select(c => c.Control.Id).Distinct(StringComparer.OrdinalIgnoreCase)
                .ToDictionary(c => c, c => state.Items.ForRecordedControl(c).Count, StringComparer.OrdinalIgnoreCase);
            await WriteEntryAsync(zip, state, BundleLayout.ControlsCsv, Deflate,
                (s, ct) => ControlsCsvWriter.WriteAsync(s, controls, itemCounts, ct), cancellationToken).ConfigureAwait(false);
            await WriteEntryAsync(zip, state, BundleLayout.IndexHtml, Deflate,
                (s, ct) => BundleIndexPage.WriteAsync(s, request, controlFilter, controls, state.Items, createdAt, IndexExtras(request, signingKey), ct), cancellationToken).ConfigureAwait(false);
            await WriteAnalysisAsync(zip, state, controls, cancellationToken).ConfigureAwait(false);

            var signing = signingKey is null ? null : new BundleSigning(request.Signer!.KeyId, signingKey.Fingerprint);
            await WriteEntryAsync(zip, state, BundleLayout.Readme, Deflate,
                (s, ct) => s.WriteAsync(Encoding.UTF8.GetBytes(BundleReadme.Text(signing).ReplaceLineEndings("\n") + "\n"), ct).AsTask(), cancellationToken).ConfigureAwait(false);

            var manifest = new BundleManifest(
                request.GeneratorName, request.GeneratorVersion, createdAt, request.Report.Organization,
                request.From.ToUniversalTime(), request.To.ToUniversalTime(), controlFilter, request.AiSystem, request.Report.AsOf,
                state.Items.Count, state.RawWritten.Count, state.LedgerEntriesWritten, [])
            {
                Checkpoints = checkpointRefs,
                Signing = signing,
            };

            // Both lists name every file: they stream from the spooled file list, and are kept only when they must be signed.
            var signed = request.Signer is not null;
            var manifestBytes = await WriteKeptEntryAsync(zip, state, BundleLayout.Manifest, signed,
                (s, ct) => manifest.WriteAsync(s, state.Files.All(), ct), cancellationToken).ConfigureAwait(false);
            var sums = await WriteKeptEntryAsync(zip, state, BundleLayout.Sha256Sums, signed,
                (s, ct) => Sha256Sums.WriteAsync(s, state.Files.All(), ct), cancellationToken).ConfigureAwait(false);

            if (request.Signer is { } signer)
            {
                var sumsSignature = await signer.SignAsync(sums, cancellationToken).ConfigureAwait(false);
                var manifestSignature = await signer.SignAsync(manifestBytes, cancellationToken).ConfigureAwait(false);
                await WriteEntryAsync(zip, state, BundleLayout.Sha256SumsSignature, Store,
                    (s, ct) => s.WriteAsync(sumsSignature, ct).AsTask(), cancellationToken).ConfigureAwait(false);
                await WriteEntryAsync(zip, state, BundleLayout.ManifestSignature, Store,
                    (s, ct) => s.WriteAsync(manifestSignature, ct).AsTask(), cancellationToken).ConfigureAwait(false);
                await WriteEntryAsync(zip, state, BundleLayout.SigningKey, Store,
                    (s, ct) => s.WriteAsync(Encoding.ASCII.GetBytes(signingKey!.Pem), ct).AsTask(), cancellationToken).ConfigureAwait(false);
            }

            await zip.FinishAsync(cancellationToken).ConfigureAwait(false);
        }

        state.Report(BundleStage.Done);
        return new BundleResult(state.Items.Count, state.RawWritten.Count, state.LedgerEntriesWritten, state.Files.Count + 1, state.ContentBytes, state.Warnings)
        {
            Signed = request.Signer is not null,
            CheckpointCount = state.CheckpointsWritten,
        };
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
            var file = InlineFileStream.Open(partial, FileMode.Create, FileAccess.Write, FileShare.None);
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

    private async Task WriteEvidenceAsync(ZipWriter zip, State state, CancellationToken cancellationToken)
    {
        var request = state.Request;
        await foreach (var entry in store.ReadLedgerAsync(cancellationToken).ConfigureAwait(false))
        {
            state.LedgerEntriesRead++;
            if (!MatchesFilters(entry, state))
            {
                continue;
            }

            if (state.SelectedIds.Contains(NameKey.Of(entry.ItemId)))
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
                item = System.Text.Unicode.Utf8.IsValid(bytes) ? EvidenceItemJson.Parse(bytes) : throw new FormatException("it is not valid UTF-8 (altered outside AIMS Evidence).");
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

            if (!MatchesMapping(entry, item, state))
            {
                continue;
            }

            // The stored bytes less their own hash are what was sealed: when they hash to the ledger's value the content
            // does too, and only an item that does not is serialized again to tell a reformatting from a change.
            if (EvidenceItemJson.ComputeStoredHash(bytes) != entry.ItemSha256 && ContentHash(item) != entry.ItemSha256)
            {
                state.Warnings.Add($"{StoreNames.Item(entry.ItemId)}: its content no longer hashes to the ledger's itemSha256 (ledger segment '{entry.Segment}' entry {entry.Sequence}); it is bundled as stored and the bundle will not verify.");
            }

            state.MarkSelected(entry);
            var file = await WriteEntryAsync(zip, state, BundleLayout.ItemPath(entry.ItemId), Deflate,
                (s, ct) => s.WriteAsync(bytes, ct).AsTask(), cancellationToken).ConfigureAwait(false);

            // A payload is stored once, named after the first item that references it: every item links to that file.
            string? rawMediaType = null;
            if (item.RawSha256 is { } raw && !state.RawWritten.TryGetValue(NameKey.Of(raw), out rawMediaType))
            {
                rawMediaType = await WriteRawAsync(zip, state, item, raw, cancellationToken).ConfigureAwait(false);
            }

            state.Items.Add(ToRef(item, state, file.Sha256, rawMediaType));

            state.Report(BundleStage.Evidence);
        }
    }

    /// <summary>Writes a raw payload; returns the media type its bundle name was made from.</summary>
    private async Task<string?> WriteRawAsync(ZipWriter zip, State state, EvidenceItem item, string raw, CancellationToken cancellationToken)
    {
        if (!ItemIds.IsSha256(raw))
        {
            throw new InvalidDataException($"Item {StoreNames.Item(item.Id)} references raw payload '{raw}', which is not a SHA-256.");
        }

        var content = await store.OpenRawAsync(raw, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidDataException($"Item {StoreNames.Item(item.Id)} references raw payload {StoreNames.Raw(raw)}, which is not in {store.Description} (run 'aims verify --store').");
        await using (content.ConfigureAwait(false))
        {
            // Payloads already compressed (zip, images, most PDFs) only grow and cost time when deflated again: the first
            // block decides, by how evenly its bytes are spread, whether the payload is stored as it is.
            var head = new byte[64 * 1024];
            var headLength = await LocalReads.ReadAtLeastAsync(content, head, cancellationToken).ConfigureAwait(false);
            var deflate = !Compressibility.LooksIncompressible(head.AsSpan(0, headLength));
            await WriteEntryAsync(zip, state, BundleLayout.RawPath(raw, item.RawMediaType), deflate, async (s, ct) =>
            {
                await s.WriteAsync(head.AsMemory(0, headLength), ct).ConfigureAwait(false);
                await LocalReads.CopyToAsync(content, s, head, ct).ConfigureAwait(false);
            }, cancellationToken).ConfigureAwait(false);
        }

        var mediaType = state.InternMediaType(item.RawMediaType);
        state.RawWritten.Add(NameKey.Of(raw), mediaType);
        return mediaType;
    }

    /// <summary>Every valid stored checkpoint, grouped by segment (a few per segment per day: small).</summary>
    private async Task<Dictionary<string, List<StoredCheckpoint>>> LatestCheckpointsAsync(CancellationToken cancellationToken)
    {
        var bySegment = new Dictionary<string, List<StoredCheckpoint>>(StringComparer.Ordinal);
        await foreach (var stored in CheckpointReader.ReadAllAsync(store, cancellationToken).ConfigureAwait(false))
        {
            // A checkpoint that does not verify is not relied on; 'aims verify --store' names it.
            if (stored.Checkpoint is { } c && c.HasValidSignature(out _))
            {
                if (!bySegment.TryGetValue(c.Segment, out var list))
                {
                    list = [];
                    bySegment[c.Segment] = list;
                }

                list.Add(stored);
            }
        }

        return bySegment;
    }

    /// <summary>
    /// Per segment of the proof, the first checkpoint at or after its last selected entry: the proof then runs through it,
    /// so the bundle shows the selected entries were signed for, with the least ledger added.
    /// </summary>
    private static Dictionary<string, StoredCheckpoint> ChooseCheckpoints(State state, Dictionary<string, List<StoredCheckpoint>> checkpoints)
    {
        var chosen = new Dictionary<string, StoredCheckpoint>(StringComparer.Ordinal);
        foreach (var (segment, last) in state.LastSelected)
        {
            if (checkpoints.TryGetValue(segment, out var list)
                && list.Where(c => c.Checkpoint!.Sequence >= last).OrderBy(c => c.Checkpoint!.Sequence).ThenBy(c => c.Checkpoint!.SignedAt).FirstOrDefault() is { } first)
            {
                chosen[segment] = first;
                state.LastSelected[segment] = first.Checkpoint!.Sequence;
            }
        }

        state.CheckpointsWritten = chosen.Count;
        return chosen;
    }

    private async Task WriteLedgerAsync(ZipWriter zip, State state, Dictionary<string, StoredCheckpoint> checkpoints, CancellationToken cancellationToken)
    {
        if (state.LastSelected.Count == 0)
        {
            await WriteEntryAsync(zip, state, BundleLayout.LedgerEntries, Deflate, (_, _) => Task.CompletedTask, cancellationToken).ConfigureAwait(false);
            return;
        }

        // A second walk: a zip is written one file at a time, and the proof runs from each segment's first entry to
        // the last selected one, which only the first walk could tell. Entries appended since are simply not reached.
        await WriteEntryAsync(zip, state, BundleLayout.LedgerEntries, Deflate, async (s, ct) =>
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
                if (entry.Sequence == last && checkpoints.TryGetValue(entry.Segment, out var checkpoint) && checkpoint.Checkpoint!.HeadHash != entry.Hash)
                {
                    state.Warnings.Add($"ledger segment '{entry.Segment}' entry {entry.Sequence} no longer has the head hash its signed checkpoint records; the bundle will not verify (run 'aims verify --store').");
                }

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
            return await BoundedRead.ReadAsync(stream, MaxItemBytes, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidDataException($"Item {StoreNames.Item(entry.ItemId)} is larger than {MaxItemBytes / (1024 * 1024)} MiB; evidence items hold facts, payloads belong in raw/.");
        }
    }

    /// <summary>
    /// The control filter uses both the controls recorded in the evidence when it was written and the current requirements'
    /// mapping of its kind to controls, so a bundle for some controls holds the evidence the digest counts for them even
    /// after the requirements changed. A kind-level match is confirmed against the requirement's scope once the item is read.
    /// </summary>
    private static bool MatchesFilters(LedgerEntry entry, State state) =>
        (state.ControlFilter.Count == 0 || RecordedMatch(entry, state) || state.MappedKinds.ContainsKey(entry.Kind))
        && (state.Request.AiSystem is null || entry.AiSystems.Contains(state.Request.AiSystem, StringComparer.OrdinalIgnoreCase));

    private static bool RecordedMatch(LedgerEntry entry, State state) =>
        entry.Controls.Any(c => state.ControlFilter.Contains(c, StringComparer.OrdinalIgnoreCase));

    private static bool MatchesMapping(LedgerEntry entry, EvidenceItem item, State state) =>
        state.ControlFilter.Count == 0 || RecordedMatch(entry, state)
        || (state.MappedKinds.TryGetValue(entry.Kind, out var requirements) && requirements.Any(r => r.Scope.Matches(item)));

    /// <summary>Kind → the current requirements that map it to a filtered control.</summary>
    private static Dictionary<string, List<Requirement>> MappedKinds(BundleRequest request, IReadOnlyList<string> controlFilter)
    {
        var requirements = request.Requirements?.Requirements ?? request.Report.Requirements.Select(r => r.Requirement).ToList();
        return requirements
            .Where(r => r.Controls.Any(c => controlFilter.Contains(c, StringComparer.OrdinalIgnoreCase)))
            .GroupBy(r => r.Kind, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
    }

    /// <summary>The content hash, or null when the item cannot be serialized (invalid content the verifier names as altered).</summary>
    private static string? ContentHash(EvidenceItem item)
    {
        try
        {
            return EvidenceItemJson.ComputeHash(item);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException)
        {
            return null;
        }
    }

    private static BundleItemRef ToRef(EvidenceItem item, State state, string sha256, string? rawMediaType)
    {
        var matching = state.RequirementsOfKind(item.IndexKind).Where(r => r.Requirement.Scope.Matches(item)).ToList();
        var requirementIds = matching.Select(r => r.Requirement.Id).ToArray();
        var summary = item.Summary.Length <= SummaryLength ? item.Summary : item.Summary[..SummaryLength] + "…";
        var mappedControls = matching.SelectMany(r => r.Requirement.Controls).Concat(item.Controls).Distinct(StringComparer.OrdinalIgnoreCase).ToArray();
        DateTimeOffset? expires = matching.Count == 0 || item.IsCollectorError ? null : matching.Min(r => r.Requirement.Freshness.AddTo(item.FreshnessDate));
        return new BundleItemRef(item.Id, item.Kind, item.Subject.Key, item.Subject.DisplayName, item.ObservedAt, item.Controls,
            item.Subject.AiSystemIds, requirementIds, summary, item.RawSha256)
        {
            MappedControls = mappedControls,
            Expires = expires,
            Sha256 = sha256,
            EvidenceDate = item.EvidenceDate,
            Period = item.Period,
            Source = $"{item.Source.System} {item.Source.Instance}",
            RawMediaType = rawMediaType,
        };
    }

    /// <summary>index.html's top links to the SoA and OSCAL files, and what it says about the signature.</summary>
    private static BundleIndexExtras IndexExtras(BundleRequest request, PublicSigningKey? signingKey) => new(
        [new BundleIndexLink("soa.html", "soa.html", "Statement of Applicability"), new BundleIndexLink(BundleLayout.OscalResults, BundleLayout.OscalResults, "OSCAL assessment results")],
        signingKey is null
            ? null
            : $"Signed with key {request.Signer!.KeyId} (fingerprint {signingKey.Fingerprint}); verify with the organization's public key (README.txt).");

    /// <summary>soa.* (every format) and the OSCAL assessment results, both linking into the bundle's evidence.</summary>
    private async Task WriteAnalysisAsync(ZipWriter zip, State state, IReadOnlyList<Evidence.Gaps.ControlResult> controls, CancellationToken cancellationToken)
    {
        var request = state.Request;
        var soa = StatementOfApplicability.Build(request.Report, request.Requirements ?? new RequirementSet([], []),
            c => new ProjectedList<string, string>(state.Items.IdsForMappedControl(c.Control.Id), BundleLayout.ItemPath), _catalog);
        foreach (var format in Enum.GetValues<SoaFormat>())
        {
            await WriteEntryAsync(zip, state, SoaWriter.FileName(format), Deflate,
                (s, ct) => SoaWriter.WriteAsync(soa, format, s, ct), cancellationToken).ConfigureAwait(false);
        }

        // Read back from the spool on each pass: the observations, each control's related ones, the back-matter.
        var observations = new ProjectedCollection<BundleItemRef, OscalObservation>(state.Items.Count, state.Items.All, Observation);
        var input = new OscalInput(request.Report, request.From.ToUniversalTime(), request.To.ToUniversalTime(), state.CreatedAt, request.GeneratorVersion,
            controls.Select(c => c.Control.Id).ToList(), observations)
        {
            RelatedItemIds = state.Items.IdsForMappedControl,
        };
        await WriteEntryAsync(zip, state, BundleLayout.OscalResults, Deflate,
            (s, ct) => OscalAssessmentResults.WriteAsync(input, s, ct), cancellationToken).ConfigureAwait(false);
    }

    private static OscalObservation Observation(BundleItemRef i) =>
        new(i.Id, i.Kind, i.SubjectKey, i.Summary, i.ObservedAt, i.Expires, i.MappedControls, BundleLayout.ItemPath(i.Id), i.Sha256);

    /// <summary>Writes one file and returns its bytes when <paramref name="keep"/> (they are to be signed), else none.</summary>
    private static async Task<byte[]> WriteKeptEntryAsync(ZipWriter zip, State state, string path, bool keep, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        if (!keep)
        {
            await WriteEntryAsync(zip, state, path, Deflate, write, cancellationToken).ConfigureAwait(false);
            return [];
        }

        using var bytes = new MemoryStream();
        await write(bytes, cancellationToken).ConfigureAwait(false);
        await WriteEntryAsync(zip, state, path, Deflate,
            (s, ct) => s.WriteAsync(bytes.GetBuffer().AsMemory(0, (int)bytes.Length), ct).AsTask(), cancellationToken).ConfigureAwait(false);
        return bytes.ToArray();
    }

    /// <summary>Writes one file, hashing it on the way, and records its size and hash for the manifest and SHA256SUMS.</summary>
    private static async Task<BundleFile> WriteEntryAsync(ZipWriter zip, State state, string path, bool deflate, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        var written = await zip.WriteEntryAsync(path, deflate, write, cancellationToken).ConfigureAwait(false);
        state.ContentBytes += written.Size;
        var file = new BundleFile(path, written.Size, written.Sha256Hex);
        if (path != BundleLayout.Sha256Sums && !BundleLayout.SignatureFiles.Contains(path))
        {
            state.Files.Add(file);
        }

        return file;
    }

    /// <summary>
    /// What one build keeps. Per bundled file it holds no more than a compact key or an offset: the items' references
    /// and the file list are spooled to temporary files (deleted on dispose) and read back for the files that list them.
    /// </summary>
    private sealed class State(BundleRequest request, IReadOnlyList<string> controlFilter, DateTimeOffset createdAt, IProgress<BundleProgress>? progress,
        Dictionary<string, List<Requirement>> mappedKinds) : IDisposable
    {
        private readonly Dictionary<string, string> _mediaTypes = new(StringComparer.Ordinal);
        private Dictionary<string, List<RequirementResult>>? _requirementsByKind;

        public BundleRequest Request { get; } = request;

        public Dictionary<string, List<Requirement>> MappedKinds { get; } = mappedKinds;

        public int CheckpointsWritten { get; set; }

        public IReadOnlyList<string> ControlFilter { get; } = controlFilter;

        public DateTimeOffset CreatedAt { get; } = createdAt;

        public BundleFileSpool Files { get; } = new();

        public BundleItemSpool Items { get; } = new();

        /// <summary>Keys of the item ids bundled (16 bytes each, not the id strings).</summary>
        public HashSet<UInt128> SelectedIds { get; } = [];

        /// <summary>Key of each raw payload written → the media type its name was made from (one shared string per type).</summary>
        public Dictionary<UInt128, string?> RawWritten { get; } = [];

        /// <summary>Per ledger segment, the sequence number of the last entry of a selected item.</summary>
        public Dictionary<string, long> LastSelected { get; } = new(StringComparer.Ordinal);

        public List<string> Warnings { get; } = [];

        public long LedgerEntriesRead { get; set; }

        public long LedgerEntriesWritten { get; set; }

        public long ContentBytes { get; set; }

        /// <summary>The report's requirements for one evidence kind, in report order (looked up per item, so grouped once).</summary>
        public IReadOnlyList<RequirementResult> RequirementsOfKind(string kind)
        {
            _requirementsByKind ??= Request.Report.Requirements.GroupBy(r => r.Requirement.Kind, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
            return _requirementsByKind.TryGetValue(kind, out var list) ? list : [];
        }

        public string? InternMediaType(string? mediaType)
        {
            if (mediaType is null)
            {
                return null;
            }

            if (!_mediaTypes.TryGetValue(mediaType, out var shared))
            {
                shared = mediaType;
                _mediaTypes[mediaType] = shared;
            }

            return shared;
        }

        public void Dispose()
        {
            Files.Dispose();
            Items.Dispose();
        }

        public void MarkSelected(LedgerEntry entry)
        {
            SelectedIds.Add(NameKey.Of(entry.ItemId));
            LastSelected[entry.Segment] = Math.Max(LastSelected.GetValueOrDefault(entry.Segment), entry.Sequence);
        }

        public void Report(BundleStage stage) =>
            progress?.Report(new BundleProgress(stage, LedgerEntriesRead, Items.Count, RawWritten.Count, ContentBytes));
    }
}
