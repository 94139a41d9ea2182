using System.IO.Compression;
using System.Text;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Reporting.Bundle;
using Aims.Reporting.IO;

namespace Aims.Reporting.Verification;

/// <summary>
/// Verifies an auditor bundle offline: every file against SHA256SUMS and manifest.json (naming files altered, removed
/// or added), the ledger proof's hash chain, every item against its ledger entry, and every raw payload against its
/// name. Reads the zip entry by entry and hashes each file once as it streams through.
/// </summary>
public sealed class BundleVerifier
{
    private const int MaxSmallFileBytes = 64 * 1024 * 1024;

    /// <summary>Verifies the bundle at <paramref name="path"/>.</summary>
    public async Task<VerificationResult> VerifyAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return new VerificationResult(full, [new VerificationFinding(Path.GetFileName(full), FindingKind.Removed, "the bundle file does not exist.")], new VerificationCounts(0, 0, 0, 0));
        }

        var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        await using (file.ConfigureAwait(false))
        {
            return await VerifyCoreAsync(file, full, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Verifies a bundle read from <paramref name="bundle"/>. A zip is read from its central directory at the end, so a
    /// stream that cannot seek (an HTTP body) is first copied to a temporary file, never into memory.
    /// </summary>
    public async Task<VerificationResult> VerifyAsync(Stream bundle, string target = "(bundle)", CancellationToken cancellationToken = default)
    {
        if (bundle.CanSeek)
        {
            return await VerifyCoreAsync(bundle, target, cancellationToken).ConfigureAwait(false);
        }

        var temp = new FileStream(Path.Combine(Path.GetTempPath(), "aims-bundle-" + Path.GetRandomFileName()), FileMode.CreateNew, FileAccess.ReadWrite,
            FileShare.None, 81920, FileOptions.Asynchronous | FileOptions.DeleteOnClose);
        await using (temp.ConfigureAwait(false))
        {
            await bundle.CopyToAsync(temp, cancellationToken).ConfigureAwait(false);
            temp.Position = 0;
            return await VerifyCoreAsync(temp, target, cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<VerificationResult> VerifyCoreAsync(Stream stream, string target, CancellationToken cancellationToken)
    {
        var run = new Run();
        ZipArchive zip;
        try
        {
            zip = await ZipArchive.CreateAsync(stream, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            run.Add(Path.GetFileName(target), FindingKind.Unreadable, $"is not a readable zip file: {ex.Message}");
            return run.Result(target);
        }

        await using (zip.ConfigureAwait(false))
        {
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.Ordinal);
            foreach (var entry in zip.Entries)
            {
                if (entry.FullName.EndsWith('/') && entry.Length == 0)
                {
                    continue; // a folder entry, as some zip tools add when re-packing
                }

                if (!entries.TryAdd(entry.FullName, entry))
                {
                    run.Add(entry.FullName, FindingKind.Added, "appears more than once in the zip.");
                }
            }

            var sums = await ReadSumsAsync(entries, run, cancellationToken).ConfigureAwait(false);
            var manifest = await ReadManifestAsync(entries, run, cancellationToken).ConfigureAwait(false);
            var ledger = await ReadLedgerAsync(entries, run, cancellationToken).ConfigureAwait(false);

            var referencedRaw = new Dictionary<string, (string ItemPath, string? MediaType)>(StringComparer.Ordinal);
            var itemFiles = 0;
            foreach (var (path, entry) in entries)
            {
                if (path == BundleLayout.Sha256Sums || run.Actual.ContainsKey(path) || run.Unreadable.Contains(path))
                {
                    continue; // already read above
                }

                if (BundleLayout.ItemIdFromPath(path) is { } itemId)
                {
                    itemFiles++;
                    await CheckItemAsync(path, itemId, entry, ledger, referencedRaw, run, cancellationToken).ConfigureAwait(false);
                }
                else if (BundleLayout.RawShaFromPath(path) is { } rawSha)
                {
                    var hash = await HashEntryAsync(path, entry, run, cancellationToken).ConfigureAwait(false);
                    run.RawPayloads++;
                    if (hash is not null && hash != rawSha)
                    {
                        run.Add(path, FindingKind.Altered, $"is altered: it hashes to {hash}, not to the SHA-256 it is named by.");
                    }
                }
                else
                {
                    await HashEntryAsync(path, entry, run, cancellationToken).ConfigureAwait(false);
                }
            }

            // Raw files carry their media type's extension: what must be present is a file named by the SHA-256.
            var rawPresent = entries.Keys.Select(BundleLayout.RawShaFromPath).OfType<string>().ToHashSet(StringComparer.Ordinal);
            foreach (var (raw, (itemPath, mediaType)) in referencedRaw)
            {
                if (!rawPresent.Contains(raw))
                {
                    run.Add(BundleLayout.RawPath(raw, mediaType), FindingKind.Removed, $"is missing: {itemPath} references it.");
                }
            }

            CompareWithSums(sums, entries, run);
            CompareWithManifest(manifest, entries, itemFiles, run);
        }

        return run.Result(target);
    }

    private static async Task<Dictionary<string, string>?> ReadSumsAsync(Dictionary<string, ZipArchiveEntry> entries, Run run, CancellationToken cancellationToken)
    {
        if (!entries.TryGetValue(BundleLayout.Sha256Sums, out var entry))
        {
            run.Add(BundleLayout.Sha256Sums, FindingKind.Removed, "is missing: the files cannot be checked against their recorded hashes.");
            return null;
        }

        var bytes = await ReadSmallAsync(BundleLayout.Sha256Sums, entry, run, track: false, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        var sums = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in Sha256Sums.Parse(Encoding.UTF8.GetString(bytes)))
        {
            if (line.Problem is not null)
            {
                run.Add(BundleLayout.Sha256Sums, FindingKind.Unreadable, line.Problem);
            }
            else if (!sums.TryAdd(line.Path!, line.Sha256!))
            {
                run.Add(BundleLayout.Sha256Sums, FindingKind.Mismatch, $"lists {line.Path} more than once.");
            }
        }

        return sums;
    }

    private static async Task<BundleManifest?> ReadManifestAsync(Dictionary<string, ZipArchiveEntry> entries, Run run, CancellationToken cancellationToken)
    {
        if (!entries.TryGetValue(BundleLayout.Manifest, out var entry))
        {
            run.Add(BundleLayout.Manifest, FindingKind.Removed, "is missing.");
            return null;
        }

        var bytes = await ReadSmallAsync(BundleLayout.Manifest, entry, run, track: true, cancellationToken).ConfigureAwait(false);
        if (bytes is null)
        {
            return null;
        }

        try
        {
            using var memory = new MemoryStream(bytes, writable: false);
            return await BundleManifest.ReadAsync(memory, cancellationToken).ConfigureAwait(false);
        }
        catch (FormatException ex)
        {
            run.Add(BundleLayout.Manifest, FindingKind.Unreadable, ex.Message);
            return null;
        }
    }

    /// <summary>Reads the ledger proof line by line, checking the chain; returns item id → its ledger entry.</summary>
    private static async Task<Dictionary<string, LedgerRecord>> ReadLedgerAsync(Dictionary<string, ZipArchiveEntry> entries, Run run, CancellationToken cancellationToken)
    {
        var byItem = new Dictionary<string, LedgerRecord>(StringComparer.Ordinal);
        if (!entries.TryGetValue(BundleLayout.LedgerEntries, out var entry))
        {
            run.Add(BundleLayout.LedgerEntries, FindingKind.Removed, "is missing: no item can be traced to the ledger.");
            return byItem;
        }

        var chain = new LedgerChainChecker();
        try
        {
            var content = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                await using var hashing = new HashingStream(content, leaveOpen: true);
                using var reader = new StreamReader(hashing, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 81920, leaveOpen: true);
                var lineNumber = 0;
                while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                {
                    lineNumber++;
                    if (line.Length == 0)
                    {
                        continue;
                    }

                    LedgerEntry parsed;
                    try
                    {
                        parsed = LedgerEntry.ParseLine(line);
                    }
                    catch (FormatException ex)
                    {
                        run.Add(BundleLayout.LedgerEntries, FindingKind.Unreadable, $"line {lineNumber}: {ex.Message}");
                        continue;
                    }

                    foreach (var problem in chain.Check(parsed))
                    {
                        run.Add(BundleLayout.LedgerEntries, FindingKind.ChainBroken, $"line {lineNumber}, segment '{parsed.Segment}': {problem}");
                    }

                    byItem.TryAdd(parsed.ItemId, new LedgerRecord(parsed.Segment, parsed.Sequence, parsed.ItemSha256));
                }

                await hashing.DrainAsync(cancellationToken).ConfigureAwait(false);
                run.Actual[BundleLayout.LedgerEntries] = (hashing.Length64, hashing.HashHex());
            }
        }
        catch (InvalidDataException ex)
        {
            run.Unreadable.Add(BundleLayout.LedgerEntries);
            run.Add(BundleLayout.LedgerEntries, FindingKind.Unreadable, $"cannot be read from the zip (corrupted): {ex.Message}");
        }

        run.LedgerEntries = chain.EntriesChecked;
        return byItem;
    }

    private static async Task CheckItemAsync(string path, string itemId, ZipArchiveEntry entry, Dictionary<string, LedgerRecord> ledger,
        Dictionary<string, (string ItemPath, string? MediaType)> referencedRaw, Run run, CancellationToken cancellationToken)
    {
        var bytes = await ReadSmallAsync(path, entry, run, track: true, cancellationToken).ConfigureAwait(false);
        run.Items++;
        if (bytes is null)
        {
            return;
        }

        if (!ItemIds.IsWellFormed(itemId))
        {
            run.Add(path, FindingKind.Added, "is not named by a well-formed item id.");
            return;
        }

        if (!ledger.TryGetValue(itemId, out var ledgerEntry))
        {
            run.Add(path, FindingKind.Added, $"is not recorded in {BundleLayout.LedgerEntries}.");
            return;
        }

        var (item, problems) = ItemIntegrity.Check(bytes, itemId, ledgerEntry.ItemSha256, $"ledger segment '{ledgerEntry.Segment}' entry {ledgerEntry.Sequence}");
        foreach (var (kind, problem) in problems)
        {
            run.Add(path, kind, problem);
        }

        if (item?.RawSha256 is { } raw)
        {
            referencedRaw.TryAdd(raw, (path, item.RawMediaType));
        }
    }

    private static void CompareWithSums(Dictionary<string, string>? sums, Dictionary<string, ZipArchiveEntry> entries, Run run)
    {
        if (sums is null)
        {
            return;
        }

        foreach (var (path, (_, hash)) in run.Actual)
        {
            if (!sums.TryGetValue(path, out var listed))
            {
                run.Add(path, FindingKind.Added, $"is in the bundle but not listed in {BundleLayout.Sha256Sums}.");
            }
            else if (listed != hash)
            {
                run.Add(path, FindingKind.Altered, $"is altered: its SHA-256 is {hash}, {BundleLayout.Sha256Sums} records {listed}.");
            }
        }

        foreach (var path in sums.Keys.Where(p => !entries.ContainsKey(p)))
        {
            run.Add(path, FindingKind.Removed, $"is listed in {BundleLayout.Sha256Sums} but missing from the bundle.");
        }

        if (sums.ContainsKey(BundleLayout.Sha256Sums))
        {
            run.Add(BundleLayout.Sha256Sums, FindingKind.Mismatch, "lists itself, which no checksum file can do correctly.");
        }
    }

    private static void CompareWithManifest(BundleManifest? manifest, Dictionary<string, ZipArchiveEntry> entries, int itemFiles, Run run)
    {
        if (manifest is null)
        {
            return;
        }

        var listed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in manifest.Files)
        {
            listed.Add(file.Path);
            if (!entries.ContainsKey(file.Path))
            {
                run.Add(file.Path, FindingKind.Removed, $"is listed in {BundleLayout.Manifest} but missing from the bundle.");
            }
            else if (run.Actual.TryGetValue(file.Path, out var actual) && (actual.Size != file.Size || actual.Sha256 != file.Sha256))
            {
                run.Add(file.Path, FindingKind.Altered, $"is altered: it is {actual.Size} bytes with SHA-256 {actual.Sha256}, {BundleLayout.Manifest} records {file.Size} bytes with {file.Sha256}.");
            }
        }

        foreach (var path in entries.Keys.Where(p => p is not (BundleLayout.Manifest or BundleLayout.Sha256Sums) && !listed.Contains(p)))
        {
            run.Add(path, FindingKind.Added, $"is in the bundle but not listed in {BundleLayout.Manifest}.");
        }

        if (manifest.ItemCount != itemFiles)
        {
            run.Add(BundleLayout.Manifest, FindingKind.Mismatch, $"records {manifest.ItemCount} items, the bundle holds {itemFiles}.");
        }

        var rawFiles = entries.Keys.Count(p => BundleLayout.RawShaFromPath(p) is not null);
        if (manifest.RawCount != rawFiles)
        {
            run.Add(BundleLayout.Manifest, FindingKind.Mismatch, $"records {manifest.RawCount} raw payloads, the bundle holds {rawFiles}.");
        }

        if (!run.Unreadable.Contains(BundleLayout.LedgerEntries) && entries.ContainsKey(BundleLayout.LedgerEntries) && manifest.LedgerEntryCount != run.LedgerEntries)
        {
            run.Add(BundleLayout.Manifest, FindingKind.Mismatch, $"records {manifest.LedgerEntryCount} ledger entries, {BundleLayout.LedgerEntries} holds {run.LedgerEntries}.");
        }
    }

    /// <summary>Reads a small file (item, manifest, checksums) whole, hashing it on the way.</summary>
    private static async Task<byte[]?> ReadSmallAsync(string path, ZipArchiveEntry entry, Run run, bool track, CancellationToken cancellationToken)
    {
        if (entry.Length > MaxSmallFileBytes)
        {
            run.Unreadable.Add(path);
            run.Add(path, FindingKind.Unreadable, $"is {entry.Length} bytes, too large for what it claims to be.");
            return null;
        }

        try
        {
            var content = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                await using var hashing = new HashingStream(content, leaveOpen: true);
                using var buffer = new MemoryStream((int)Math.Max(0, entry.Length));
                await hashing.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                if (track)
                {
                    run.Actual[path] = (hashing.Length64, hashing.HashHex());
                }

                return buffer.ToArray();
            }
        }
        catch (InvalidDataException ex)
        {
            run.Unreadable.Add(path);
            run.Add(path, FindingKind.Unreadable, $"cannot be read from the zip (corrupted): {ex.Message}");
            return null;
        }
    }

    /// <summary>Hashes a file of any size as it streams through; null when the zip entry is corrupted.</summary>
    private static async Task<string?> HashEntryAsync(string path, ZipArchiveEntry entry, Run run, CancellationToken cancellationToken)
    {
        try
        {
            var content = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (content.ConfigureAwait(false))
            {
                await using var hashing = new HashingStream(content, leaveOpen: true);
                await hashing.DrainAsync(cancellationToken).ConfigureAwait(false);
                var hash = hashing.HashHex();
                run.Actual[path] = (hashing.Length64, hash);
                return hash;
            }
        }
        catch (InvalidDataException ex)
        {
            run.Unreadable.Add(path);
            run.Add(path, FindingKind.Unreadable, $"cannot be read from the zip (corrupted): {ex.Message}");
            return null;
        }
    }

    /// <summary>What an item is checked against: only this much of each ledger entry is kept.</summary>
    private sealed record LedgerRecord(string Segment, long Sequence, string ItemSha256);

    /// <summary>The state of one verification.</summary>
    private sealed class Run
    {
        private readonly List<VerificationFinding> _findings = [];

        /// <summary>Every file read so far (SHA256SUMS aside): its size and SHA-256.</summary>
        public Dictionary<string, (long Size, string Sha256)> Actual { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Unreadable { get; } = new(StringComparer.Ordinal);

        public long Items { get; set; }

        public long RawPayloads { get; set; }

        public long LedgerEntries { get; set; }

        public void Add(string name, FindingKind kind, string problem) => _findings.Add(new VerificationFinding(name, kind, problem));

        public VerificationResult Result(string target) => new(
            target,
            _findings.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Problem, StringComparer.Ordinal).ToList(),
            new VerificationCounts(Actual.Count + (Unreadable.Count), Items, RawPayloads, LedgerEntries));
    }
}
