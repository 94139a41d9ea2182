using System.Text;
using System.Threading.Channels;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Reporting.Bundle;
using Aims.Reporting.IO;
using Aims.Reporting.Signing;

namespace Aims.Reporting.Verification;

/// <summary>
/// Verifies an auditor bundle offline. First the signature: SHA256SUMS.sig and manifest.json.sig against the pinned key
/// (or the bundle's own key when none is pinned, which then only shows the bundle is whole, not who made it). Then every
/// file against SHA256SUMS and manifest.json (naming files altered, removed or added, and any name a bundle never holds),
/// entry names that could extract outside the folder, the ledger proof's hash chain and the signed checkpoints it runs
/// to, every item against its ledger entry, and every raw payload against its name and its referencing item. Reads the
/// zip entry by entry and hashes each file once as it streams through, comparing it with SHA256SUMS and manifest.json
/// there and then. What it keeps per file is compact: a 16-byte key of the name (<see cref="NameKey"/>) and the 32-byte
/// hashes recorded for it; the zip's directory is not held but streamed from the file on each walk
/// (<see cref="ZipReader"/>), and both lists are parsed as they stream.
/// </summary>
/// <param name="pinnedKey">The organization's public key, given to the auditor out of band (<c>--key</c>).</param>
/// <param name="pinnedFingerprint">Or only its fingerprint (<c>--fingerprint</c>): the bundle's key must have it.</param>
public sealed class BundleVerifier(PublicSigningKey? pinnedKey = null, string? pinnedFingerprint = null)
{
    private const int MaxSmallFileBytes = 64 * 1024 * 1024;
    private const int ReadBatch = 256;

    /// <summary>Verifies the bundle at <paramref name="path"/>.</summary>
    public async Task<VerificationResult> VerifyAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            return new VerificationResult(full, [new VerificationFinding(Path.GetFileName(full), FindingKind.Removed, "the bundle file does not exist.")], new VerificationCounts(0, 0, 0, 0));
        }

        // Unbuffered: the zip reader reads at positions (the directory and each entry) straight from the handle.
        var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
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

    private async Task<VerificationResult> VerifyCoreAsync(Stream stream, string target, CancellationToken cancellationToken)
    {
        var run = new Run();
        try
        {
            var zip = ZipReader.Open(stream);
            run.Presize(zip.EntryCount);
            await VerifyEntriesAsync(zip, run, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidDataException ex)
        {
            // The end record or the central directory itself is damaged: the entries cannot be trusted to be all there.
            run.Add(Path.GetFileName(target), FindingKind.Unreadable, $"is not a readable zip file: {ex.Message}");
        }

        return run.Result(target);
    }

    private async Task VerifyEntriesAsync(ZipReader zip, Run run, CancellationToken cancellationToken)
    {
        // Fixed files and checkpoints by name (a few); items and payloads are only walked, keyed by their names.
        var entries = new Dictionary<string, ZipEntry>(StringComparer.Ordinal);
        var skipped = new HashSet<long>();
        var rawFileCount = 0;

        // Each name's key, by entry index (16 bytes a file), so the second walk does not hash the names again.
        var keys = new List<UInt128>(run.Capacity);
        foreach (var entry in zip.Entries())
        {
            var key = NameKey.Of(entry.Name);
            keys.Add(key);
            if (entry.Name.EndsWith('/') && entry.Size == 0 && BundleLayout.UnsafeNameProblem(entry.Name.TrimEnd('/')) is null)
            {
                skipped.Add(entry.Index);
                continue; // a folder entry, as some zip tools add when re-packing
            }

            if (BundleLayout.UnsafeNameProblem(entry.Name) is { } unsafeName)
            {
                skipped.Add(entry.Index);
                run.Add(entry.Name, FindingKind.Unsafe, unsafeName + " It was not read.");
            }
            else if (!run.Names.Add(key))
            {
                skipped.Add(entry.Index);
                run.Add(entry.Name, FindingKind.Unsafe, "appears more than once in the zip: which copy a tool extracts is undefined.");
            }
            else if (BundleLayout.ItemIdFromPath(entry.Name) is null && BundleLayout.RawShaFromPath(entry.Name) is null)
            {
                entries[entry.Name] = entry;
            }
            else if (BundleLayout.RawShaFromPath(entry.Name) is not null)
            {
                rawFileCount++;
            }
        }

        // Both lists are parsed as they stream, hashed on the way for their signatures: neither is held whole.
        run.Sums = ReadSums(zip, entries, run, out var sumsDigest);
        var manifest = ReadManifest(zip, entries, run, out var manifestDigest);
        CheckSignatures(zip, entries, sumsDigest, manifestDigest, run);
        run.StartComparing();
        var checkpoints = new CheckpointVerifier(pinnedKey);
        var signedCheckpoints = ReadCheckpoints(zip, entries, checkpoints, run);
        var ledger = await ReadLedgerAsync(zip, entries, checkpoints, run, cancellationToken).ConfigureAwait(false);
        checkpoints.Finish(run.Add);

        var referencedRaw = new Dictionary<UInt128, RawReference>();
        var rawPresent = new HashSet<UInt128>();
        var itemFiles = 0;

        // Two cores: one thread reads, inflates and hashes the entries in order while this one checks what it read.
        var readBefore = new HashSet<long>(run.AlreadyRead);
        var reads = Channel.CreateBounded<List<EntryRead>>(new BoundedChannelOptions(4) { SingleReader = true, SingleWriter = true });
        var reader = Task.Factory.StartNew(
            () => ReadEntries(zip, keys, e => skipped.Contains(e.Index) || e.Name == BundleLayout.Sha256Sums || BundleLayout.SignatureFiles.Contains(e.Name) || readBefore.Contains(e.Index), reads.Writer, cancellationToken),
            cancellationToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            await foreach (var batch in reads.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            foreach (var read in batch)
            {
                var entry = read.Entry;
                var path = entry.Name;
                if (!BundleLayout.IsExpected(path))
                {
                    run.Add(path, FindingKind.Added, "is not a file an evidence bundle holds.");
                }

                if (read.Problem is { } problem)
                {
                    run.MarkUnreadable(entry, read.Key);
                    run.Add(path, FindingKind.Unreadable, problem);
                }
                else
                {
                    run.Record(entry, read.Key, read.Size, read.Sha256!);
                }

                if (BundleLayout.ItemIdFromPath(path) is { } itemId)
                {
                    itemFiles++;
                    run.Items++;
                    if (read.Bytes is { } bytes)
                    {
                        CheckItem(path, read.Key, itemId, bytes, ledger, referencedRaw, run);
                    }
                }
                else if (BundleLayout.RawShaFromPath(path) is { } rawSha)
                {
                    run.RawPayloads++;
                    rawPresent.Add(NameKey.Of(rawSha));
                    if (read.Sha256 is { } hash && hash != rawSha)
                    {
                        run.Add(path, FindingKind.Altered, $"is altered: it hashes to {hash}, not to the SHA-256 it is named by.");
                    }
                }
            }
        }
        finally
        {
            // The reader stops at the first failure of this side too (the channel's writer then fails and it returns).
            reads.Writer.TryComplete();
            await reader.ConfigureAwait(false);
        }

        // Raw files carry their media type's extension: what must be present is a file named by the SHA-256.
        foreach (var (key, reference) in referencedRaw)
        {
            if (!rawPresent.Contains(key))
            {
                run.Add(BundleLayout.RawPath(reference.Sha256, reference.MediaType), FindingKind.Removed, $"is missing: {reference.ItemPath} references it.");
            }
        }

        // Payloads no item references are rare (an altered bundle): only then is the directory walked again to name them.
        if (rawPresent.Any(k => !referencedRaw.ContainsKey(k)))
        {
            foreach (var entry in zip.Entries())
            {
                if (!skipped.Contains(entry.Index) && BundleLayout.RawShaFromPath(entry.Name) is { } rawSha && !referencedRaw.ContainsKey(NameKey.Of(rawSha)))
                {
                    run.Add(entry.Name, FindingKind.Added, "is referenced by no evidence item in the bundle.");
                }
            }
        }

        ReportListedButMissing(zip, entries, run);
        CompareCounts(manifest, entries, itemFiles, rawFileCount, run);
        CompareCheckpoints(manifest, signedCheckpoints, run);
    }

    /// <summary>
    /// The signature comes first: with a pinned key (or fingerprint) a bundle that is unsigned, signed by another key or
    /// whose SHA256SUMS or manifest.json changed after signing is named, whatever else is consistent.
    /// </summary>
    private void CheckSignatures(ZipReader zip, Dictionary<string, ZipEntry> entries, byte[]? sumsDigest, byte[]? manifestDigest, Run run)
    {
        var pinned = pinnedKey is not null || pinnedFingerprint is not null;
        var keyBytes = ReadOptional(zip, BundleLayout.SigningKey, entries, run, track: false);
        var sumsSignature = ReadOptional(zip, BundleLayout.Sha256SumsSignature, entries, run, track: false);
        var manifestSignature = ReadOptional(zip, BundleLayout.ManifestSignature, entries, run, track: false);
        if (sumsSignature is null && manifestSignature is null && keyBytes is null)
        {
            if (pinned)
            {
                run.Add(BundleLayout.Sha256SumsSignature, FindingKind.Unsigned, "is missing: the bundle is not signed, so nothing shows the key holder made it.");
            }
            else
            {
                run.Notes.Add("unsigned bundle: its checksums show damage, not who made it (verify signed bundles with --key).");
            }

            return;
        }

        PublicSigningKey? bundleKey = null;
        if (keyBytes is not null)
        {
            try
            {
                bundleKey = PublicSigningKey.FromPem(Encoding.ASCII.GetString(keyBytes), BundleLayout.SigningKey);
            }
            catch (FormatException ex)
            {
                run.Add(BundleLayout.SigningKey, FindingKind.Unreadable, ex.Message);
            }
        }
        else
        {
            run.Add(BundleLayout.SigningKey, FindingKind.Removed, "is missing: the bundle carries signatures but not the key they claim.");
        }

        var key = pinnedKey ?? bundleKey;
        if (pinnedFingerprint is not null && bundleKey is not null && !string.Equals(bundleKey.Fingerprint, pinnedFingerprint, StringComparison.OrdinalIgnoreCase))
        {
            run.Add(BundleLayout.SigningKey, FindingKind.Unsigned, $"has fingerprint {bundleKey.Fingerprint}, not the pinned {pinnedFingerprint.ToLowerInvariant()}: the bundle was signed by someone else.");
            key = null;
        }
        else if (pinnedKey is not null && bundleKey is not null && bundleKey.Fingerprint != pinnedKey.Fingerprint)
        {
            run.Notes.Add($"the bundle names key {bundleKey.Fingerprint}; its signatures were checked with the pinned key {pinnedKey.Fingerprint}.");
        }

        if (key is null)
        {
            return;
        }

        Check(BundleLayout.Sha256SumsSignature, sumsSignature, sumsDigest, BundleLayout.Sha256Sums);
        Check(BundleLayout.ManifestSignature, manifestSignature, manifestDigest, BundleLayout.Manifest);
        run.Notes.Add(pinned
            ? $"signature checked with the pinned key {key.Fingerprint}."
            : $"signed with key {key.Fingerprint}, taken from the bundle itself (not pinned: pass --key or --fingerprint to know who signed it).");

        void Check(string signatureName, byte[]? signature, byte[]? signedDigest, string signedName)
        {
            if (signature is null)
            {
                run.Add(signatureName, FindingKind.Unsigned, $"is missing: {signedName} is not signed.");
            }
            else if (signedDigest is not null && !key.VerifySha256(signedDigest, signature))
            {
                run.Add(signedName, FindingKind.Unsigned, $"does not match its signature {signatureName} with key {key.Fingerprint}: it was changed after signing, or signed by another key.");
            }
        }
    }

    /// <summary>Reads the signed checkpoints the ledger proof relies on, before the proof is read.</summary>
    private static List<LedgerCheckpoint> ReadCheckpoints(ZipReader zip, Dictionary<string, ZipEntry> entries, CheckpointVerifier checkpoints, Run run)
    {
        var found = new List<LedgerCheckpoint>();
        foreach (var (path, entry) in entries.Where(e => e.Key.StartsWith(BundleLayout.CheckpointsFolder, StringComparison.Ordinal)).OrderBy(e => e.Key, StringComparer.Ordinal).ToList())
        {
            var bytes = ReadSmall(zip, entry, run, track: true);
            if (bytes is null)
            {
                continue;
            }

            StoredCheckpoint stored;
            try
            {
                stored = new StoredCheckpoint(path, bytes, LedgerCheckpoint.Parse(bytes), null);
            }
            catch (FormatException ex)
            {
                stored = new StoredCheckpoint(path, bytes, null, ex.Message);
            }

            if (checkpoints.Add(path, stored, run.Add) is { } checkpoint)
            {
                found.Add(checkpoint);
            }
        }

        return found;
    }

    private static void CompareCheckpoints(BundleManifest? manifest, List<LedgerCheckpoint> found, Run run)
    {
        if (manifest is null)
        {
            return;
        }

        foreach (var listed in manifest.Checkpoints)
        {
            if (!found.Any(c => c.Segment == listed.Segment && c.Sequence == listed.Sequence && c.HeadHash == listed.HeadHash))
            {
                run.Add(listed.Path, FindingKind.Mismatch, $"{BundleLayout.Manifest} relies on a signed checkpoint of segment '{listed.Segment}' at entry {listed.Sequence}, which the bundle does not hold intact.");
            }
        }

        run.Notes.Add(found.Count == 0
            ? "no signed ledger checkpoint: the ledger proof shows the chain is whole, not that it was not rebuilt."
            : $"{found.Count} signed ledger checkpoint(s) match the ledger proof.");
    }

    private static byte[]? ReadOptional(ZipReader zip, string path, Dictionary<string, ZipEntry> entries, Run run, bool track) =>
        entries.TryGetValue(path, out var entry) ? ReadSmall(zip, entry, run, track) : null;

    /// <summary>Reads SHA256SUMS line by line as it streams; <paramref name="digest"/> is its SHA-256 (null when it could not be read).</summary>
    private static Dictionary<UInt128, Sha256Value>? ReadSums(ZipReader zip, Dictionary<string, ZipEntry> entries, Run run, out byte[]? digest)
    {
        digest = null;
        if (!entries.TryGetValue(BundleLayout.Sha256Sums, out var entry))
        {
            run.Add(BundleLayout.Sha256Sums, FindingKind.Removed, "is missing: the files cannot be checked against their recorded hashes.");
            return null;
        }

        if (TooLarge(entry, run))
        {
            return null;
        }

        var sums = new Dictionary<UInt128, Sha256Value>(run.Capacity);
        var problems = new List<(FindingKind Kind, string Problem)>();
        var validUtf8 = true;
        try
        {
            using var content = zip.Open(entry);
            var number = 0;
            foreach (var line in Lines(content))
            {
                number++;
                if (!System.Text.Unicode.Utf8.IsValid(line.Span))
                {
                    validUtf8 = false;
                    continue;
                }

                if (Sha256Sums.ParseLine(number, Encoding.UTF8.GetString(line.Span)) is not { } parsed)
                {
                    continue;
                }

                if (parsed.Problem is not null)
                {
                    problems.Add((FindingKind.Unreadable, parsed.Problem));
                }
                else if (BundleLayout.UnsafeNameProblem(parsed.Path!) is { } problem)
                {
                    problems.Add((FindingKind.Unsafe, $"lists '{parsed.Path}', which {problem}"));
                }
                else if (!sums.TryAdd(NameKey.Of(parsed.Path!), Sha256Value.Parse(parsed.Sha256!)))
                {
                    problems.Add((FindingKind.Mismatch, $"lists {parsed.Path} more than once."));
                }
                else if (parsed.Path == BundleLayout.Sha256Sums)
                {
                    problems.Add((FindingKind.Mismatch, "lists itself, which no checksum file can do correctly."));
                }
            }

            digest = content.Sha256();
        }
        catch (InvalidDataException ex)
        {
            run.MarkUnreadable(entry);
            run.Add(entry.Name, FindingKind.Unreadable, $"cannot be read from the zip (corrupted): {ex.Message}");
            return null;
        }

        if (!validUtf8)
        {
            run.Add(BundleLayout.Sha256Sums, FindingKind.Altered, "is altered: it is not valid UTF-8.");
            return null;
        }

        foreach (var (kind, problem) in problems)
        {
            run.Add(BundleLayout.Sha256Sums, kind, problem);
        }

        return sums;
    }

    /// <summary>The lines of a stream split at LF (a line is valid until the next is read); the last may lack its LF.</summary>
    private static IEnumerable<ReadOnlyMemory<byte>> Lines(Stream content)
    {
        var buffer = new byte[64 * 1024];
        var start = 0;
        var end = 0;
        while (true)
        {
            var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                yield return buffer.AsMemory(start, newline);
                start += newline + 1;
                continue;
            }

            if (start > 0)
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }

            if (end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2);
            }

            var read = content.Read(buffer, end, buffer.Length - end);
            if (read == 0)
            {
                if (end > 0)
                {
                    yield return buffer.AsMemory(0, end);
                }

                yield break;
            }

            end += read;
        }
    }

    /// <summary>Reads manifest.json as it streams; <paramref name="digest"/> is its SHA-256 (null when it could not be read).</summary>
    private static BundleManifest? ReadManifest(ZipReader zip, Dictionary<string, ZipEntry> entries, Run run, out byte[]? digest)
    {
        digest = null;
        if (!entries.TryGetValue(BundleLayout.Manifest, out var entry))
        {
            run.Add(BundleLayout.Manifest, FindingKind.Removed, "is missing.");
            return null;
        }

        if (TooLarge(entry, run))
        {
            return null;
        }

        var listed = new Dictionary<UInt128, (long Size, Sha256Value Sha256)>(run.Capacity);
        BundleManifest? manifest = null;
        string? altered = null;
        try
        {
            using var content = zip.Open(entry);
            try
            {
                manifest = BundleManifest.Read(content, file =>
                {
                    if (BundleLayout.UnsafeNameProblem(file.Path) is { } problem)
                    {
                        run.Add(BundleLayout.Manifest, FindingKind.Unsafe, $"lists '{file.Path}', which {problem}");
                    }

                    listed[NameKey.Of(file.Path)] = (file.Size, Sha256Value.TryParse(file.Sha256));
                });
            }
            catch (FormatException ex)
            {
                altered = ex.Message;
            }

            // The rest (if the parse stopped early) is read too: the hash and the signature cover every byte.
            content.Drain();
            digest = content.Sha256();
            run.Record(entry, content.Size, Convert.ToHexStringLower(digest));
        }
        catch (InvalidDataException ex)
        {
            run.MarkUnreadable(entry);
            run.Add(entry.Name, FindingKind.Unreadable, $"cannot be read from the zip (corrupted): {ex.Message}");
            return null;
        }

        if (altered is not null)
        {
            run.Add(BundleLayout.Manifest, FindingKind.Altered, $"is altered: {altered}");
            return null;
        }

        run.Listed = listed;
        return manifest;
    }

    private static bool TooLarge(ZipEntry entry, Run run)
    {
        if (entry.Size <= MaxSmallFileBytes)
        {
            return false;
        }

        run.MarkUnreadable(entry);
        run.Add(entry.Name, FindingKind.Unreadable, $"is {entry.Size} bytes, too large for what it claims to be.");
        return true;
    }

    /// <summary>Reads the ledger proof line by line, checking the chain; returns item id → its ledger entry.</summary>
    private static async Task<Dictionary<UInt128, LedgerRecord>> ReadLedgerAsync(ZipReader zip, Dictionary<string, ZipEntry> entries, CheckpointVerifier checkpoints, Run run, CancellationToken cancellationToken)
    {
        var byItem = new Dictionary<UInt128, LedgerRecord>(run.Capacity);
        var segments = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!entries.TryGetValue(BundleLayout.LedgerEntries, out var entry))
        {
            run.Add(BundleLayout.LedgerEntries, FindingKind.Removed, "is missing: no item can be traced to the ledger.");
            return byItem;
        }

        var chain = new LedgerChainChecker();
        try
        {
            using var content = zip.Open(entry);
            {
                using var reader = new StreamReader(content, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 81920, leaveOpen: true);
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

                    foreach (var problem in chain.Check(parsed, line).Concat(checkpoints.Observe(parsed)))
                    {
                        run.Add(BundleLayout.LedgerEntries, FindingKind.ChainBroken, $"line {lineNumber}, segment '{parsed.Segment}': {problem}");
                    }

                    if (!segments.TryGetValue(parsed.Segment, out var segment))
                    {
                        segment = parsed.Segment;
                        segments[segment] = segment;
                    }

                    // Keyed by the item's bundle path, so an item file is looked up by the key of its entry name.
                    byItem.TryAdd(NameKey.Of(BundleLayout.ItemPath(parsed.ItemId)), new LedgerRecord(segment, parsed.Sequence, Sha256Value.TryParse(parsed.ItemSha256)));
                }

                content.Drain();
                run.Record(entry, content.Size, Convert.ToHexStringLower(content.Sha256()));
            }
        }
        catch (InvalidDataException ex)
        {
            run.MarkUnreadable(entry);
            run.Add(BundleLayout.LedgerEntries, FindingKind.Unreadable, $"cannot be read from the zip (corrupted): {ex.Message}");
        }

        run.LedgerEntries = chain.EntriesChecked;
        return byItem;
    }

    private static void CheckItem(string path, UInt128 key, string itemId, byte[] bytes, Dictionary<UInt128, LedgerRecord> ledger, Dictionary<UInt128, RawReference> referencedRaw, Run run)
    {
        if (!ItemIds.IsWellFormed(itemId))
        {
            run.Add(path, FindingKind.Added, "is not named by a well-formed item id.");
            return;
        }

        if (!ledger.TryGetValue(key, out var ledgerEntry))
        {
            run.Add(path, FindingKind.Added, $"is not recorded in {BundleLayout.LedgerEntries}.");
            return;
        }

        var ledgerSha256 = ledgerEntry.ItemSha256.ToString();
        string? rawSha256;
        string? rawMediaType;
        if (!ItemIntegrity.IsSealedAsRecorded(bytes, itemId, ledgerSha256, out rawSha256, out rawMediaType))
        {
            // Something differs: the full check parses and re-serializes the item to say what.
            var (item, problems) = ItemIntegrity.Check(bytes, itemId, ledgerSha256, $"ledger segment '{ledgerEntry.Segment}' entry {ledgerEntry.Sequence}");
            foreach (var (kind, problem) in problems)
            {
                run.Add(path, kind, problem);
            }

            rawSha256 = item?.RawSha256;
            rawMediaType = item?.RawMediaType;
        }

        if (rawSha256 is { } raw)
        {
            referencedRaw.TryAdd(NameKey.Of(raw), new RawReference(raw, run.Intern(rawMediaType), path));
        }
    }

    /// <summary>
    /// Files SHA256SUMS or manifest.json list that no entry of the zip is named by. Files are compared with both lists as
    /// they are read, which leaves only the keys of those never met; their names are read again from the lists themselves.
    /// </summary>
    private static void ReportListedButMissing(ZipReader zip, Dictionary<string, ZipEntry> entries, Run run)
    {
        // Both lists were read once already and parsed fine: read again, as they stream, only for the names to report.
        if (run.Sums?.Keys.Any(k => !run.Names.Contains(k)) == true && entries.TryGetValue(BundleLayout.Sha256Sums, out var sumsEntry))
        {
            using var content = zip.Open(sumsEntry);
            var number = 0;
            foreach (var line in Lines(content))
            {
                if (Sha256Sums.ParseLine(++number, Encoding.UTF8.GetString(line.Span)) is { Path: { } path } && !run.Names.Contains(NameKey.Of(path)))
                {
                    run.Add(path, FindingKind.Removed, $"is listed in {BundleLayout.Sha256Sums} but missing from the bundle.");
                }
            }
        }

        if (run.Listed?.Keys.Any(k => !run.Names.Contains(k)) == true && entries.TryGetValue(BundleLayout.Manifest, out var manifestEntry))
        {
            using var content = zip.Open(manifestEntry);
            BundleManifest.Read(content, file =>
            {
                if (!run.Names.Contains(NameKey.Of(file.Path)))
                {
                    run.Add(file.Path, FindingKind.Removed, $"is listed in {BundleLayout.Manifest} but missing from the bundle.");
                }
            });
        }
    }

    private static void CompareCounts(BundleManifest? manifest, Dictionary<string, ZipEntry> entries, int itemFiles, int rawFiles, Run run)
    {
        if (manifest is null)
        {
            return;
        }

        if (manifest.ItemCount != itemFiles)
        {
            run.Add(BundleLayout.Manifest, FindingKind.Mismatch, $"records {manifest.ItemCount} items, the bundle holds {itemFiles}.");
        }

        if (manifest.RawCount != rawFiles)
        {
            run.Add(BundleLayout.Manifest, FindingKind.Mismatch, $"records {manifest.RawCount} raw payloads, the bundle holds {rawFiles}.");
        }

        if (entries.TryGetValue(BundleLayout.LedgerEntries, out var ledger) && !run.IsUnreadable(ledger.Index) && manifest.LedgerEntryCount != run.LedgerEntries)
        {
            run.Add(BundleLayout.Manifest, FindingKind.Mismatch, $"records {manifest.LedgerEntryCount} ledger entries, {BundleLayout.LedgerEntries} holds {run.LedgerEntries}.");
        }
    }

    /// <summary>Reads a small file (item, manifest, checksums) whole, hashing it on the way.</summary>
    private static byte[]? ReadSmall(ZipReader zip, ZipEntry entry, Run run, bool track)
    {
        if (entry.Size > MaxSmallFileBytes)
        {
            run.MarkUnreadable(entry);
            run.Add(entry.Name, FindingKind.Unreadable, $"is {entry.Size} bytes, too large for what it claims to be.");
            return null;
        }

        try
        {
            using var content = zip.Open(entry);
            var bytes = content.ReadAll();
            if (track)
            {
                run.Record(entry, content.Size, Convert.ToHexStringLower(content.Sha256()));
            }

            return bytes;
        }
        catch (InvalidDataException ex)
        {
            run.MarkUnreadable(entry);
            run.Add(entry.Name, FindingKind.Unreadable, $"cannot be read from the zip (corrupted): {ex.Message}");
            return null;
        }
    }

    /// <summary>
    /// The reading side of the walk over every entry: reads each one not <paramref name="skip"/>ped in directory order,
    /// items whole (small) and anything else streamed through its hash, and hands on what it read or why it could not.
    /// </summary>
    private static void ReadEntries(ZipReader zip, List<UInt128> keys, Func<ZipEntry, bool> skip, ChannelWriter<List<EntryRead>> output, CancellationToken cancellationToken)
    {
        // Handed on in batches: waking the other side for every small item would cost more than checking it.
        var batch = new List<EntryRead>(ReadBatch);
        var batchBytes = 0L;
        try
        {
            foreach (var entry in zip.Entries())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (skip(entry))
                {
                    continue;
                }

                var key = entry.Index < keys.Count ? keys[(int)entry.Index] : NameKey.Of(entry.Name);
                EntryRead read;
                if (BundleLayout.ItemIdFromPath(entry.Name) is not null && entry.Size > MaxSmallFileBytes)
                {
                    read = new EntryRead(entry, key, null, 0, null, $"is {entry.Size} bytes, too large for what it claims to be.");
                }
                else
                {
                    try
                    {
                        using var content = zip.Open(entry);
                        byte[]? bytes = null;
                        if (BundleLayout.ItemIdFromPath(entry.Name) is not null)
                        {
                            bytes = content.ReadAll();
                        }
                        else
                        {
                            content.Drain();
                        }

                        read = new EntryRead(entry, key, bytes, content.Size, Convert.ToHexStringLower(content.Sha256()), null);
                    }
                    catch (InvalidDataException ex)
                    {
                        read = new EntryRead(entry, key, null, 0, null, $"cannot be read from the zip (corrupted): {ex.Message}");
                    }
                }

                batch.Add(read);
                batchBytes += read.Bytes?.Length ?? 0;
                if ((batch.Count >= ReadBatch || batchBytes >= 1024 * 1024) && !Send())
                {
                    return;
                }
            }

            if (batch.Count > 0 && !Send())
            {
                return;
            }

            output.TryComplete();
        }
        catch (Exception ex)
        {
            output.TryComplete(ex);
        }

        // False when the checking side stopped.
        bool Send()
        {
            while (!output.TryWrite(batch))
            {
                if (!output.WaitToWriteAsync(cancellationToken).AsTask().GetAwaiter().GetResult())
                {
                    return false;
                }
            }

            batch = new List<EntryRead>(ReadBatch);
            batchBytes = 0;
            return true;
        }
    }

    /// <summary>One entry as read by the reading side: its content when it is an item, its size and hash, or why it is unreadable.</summary>
    private sealed record EntryRead(ZipEntry Entry, UInt128 Key, byte[]? Bytes, long Size, string? Sha256, string? Problem);

    /// <summary>What an item is checked against: only this much of each ledger entry is kept (the segment name is shared).</summary>
    private readonly record struct LedgerRecord(string Segment, long Sequence, Sha256Value ItemSha256);

    /// <summary>A raw payload an item references: its hash, media type (one shared string per type) and the item's path.</summary>
    private sealed record RawReference(string Sha256, string? MediaType, string ItemPath);

    /// <summary>The state of one verification.</summary>
    private sealed class Run
    {
        private readonly List<VerificationFinding> _findings = [];
        private readonly HashSet<long> _unreadable = [];
        private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
        private List<(ZipEntry Entry, UInt128 Key, long Size, string Sha256)>? _pending = [];

        /// <summary>Keys of every entry name read from the zip's directory (first copy of each).</summary>
        public HashSet<UInt128> Names { get; private set; } = [];

        /// <summary>The entry count the zip announces (capped): the per-file sets are sized for it once instead of growing.</summary>
        public int Capacity { get; private set; }

        public void Presize(long entries)
        {
            Capacity = (int)Math.Min(entries, 1 << 20);
            Names = new HashSet<UInt128>(Capacity);
        }

        /// <summary>SHA256SUMS: name key → hash; null when it is missing or unreadable.</summary>
        public Dictionary<UInt128, Sha256Value>? Sums { get; set; }

        /// <summary>manifest.json's file list: name key → size and hash; null when it is missing or unreadable.</summary>
        public Dictionary<UInt128, (long Size, Sha256Value Sha256)>? Listed { get; set; }

        /// <summary>Entries read before the walk over all entries (fixed files, checkpoints, the ledger).</summary>
        public HashSet<long> AlreadyRead { get; } = [];

        public long FilesRead { get; private set; }

        public long Items { get; set; }

        public long RawPayloads { get; set; }

        public long LedgerEntries { get; set; }

        public List<string> Notes { get; } = [];

        public void Add(string name, FindingKind kind, string problem) => _findings.Add(new VerificationFinding(name, kind, problem));

        public string? Intern(string? value)
        {
            if (value is null)
            {
                return null;
            }

            if (!_strings.TryGetValue(value, out var shared))
            {
                shared = value;
                _strings[value] = value;
            }

            return shared;
        }

        public void MarkUnreadable(ZipEntry entry) => MarkUnreadable(entry, NameKey.Of(entry.Name));

        public void MarkUnreadable(ZipEntry entry, UInt128 key)
        {
            _unreadable.Add(entry.Index);
            AlreadyRead.Add(entry.Index);
            if (_pending is null)
            {
                CheckListed(entry.Name, key);
            }
            else
            {
                _pending.Add((entry, key, -1, ""));
            }
        }

        public bool IsUnreadable(long index) => _unreadable.Contains(index);

        /// <summary>Files read before both lists are parsed are held (a few) and compared once they are.</summary>
        public void StartComparing()
        {
            var pending = _pending ?? [];
            _pending = null;
            foreach (var (entry, key, size, sha256) in pending)
            {
                if (size < 0)
                {
                    CheckListed(entry.Name, key);
                }
                else
                {
                    Record(entry, key, size, sha256);
                }
            }
        }

        /// <summary>A file was read whole: its size and SHA-256 are compared with SHA256SUMS and manifest.json now.</summary>
        public void Record(ZipEntry entry, long size, string sha256) => Record(entry, NameKey.Of(entry.Name), size, sha256);

        /// <summary>As <see cref="Record(ZipEntry, long, string)"/>, with the key of the entry's name already made.</summary>
        public void Record(ZipEntry entry, UInt128 key, long size, string sha256)
        {
            AlreadyRead.Add(entry.Index);
            if (_pending is not null)
            {
                _pending.Add((entry, key, size, sha256));
                return;
            }

            FilesRead++;
            var path = entry.Name;
            var hash = Sha256Value.Parse(sha256);
            if (Sums is not null)
            {
                if (!Sums.TryGetValue(key, out var listed))
                {
                    Add(path, FindingKind.Added, $"is in the bundle but not listed in {BundleLayout.Sha256Sums}.");
                }
                else if (listed != hash)
                {
                    Add(path, FindingKind.Altered, $"is altered: its SHA-256 is {sha256}, {BundleLayout.Sha256Sums} records {listed}.");
                }
            }

            CheckListed(path, key);
            if (Listed is not null && path != BundleLayout.Manifest && Listed.TryGetValue(key, out var file) && (file.Size != size || file.Sha256 != hash))
            {
                Add(path, FindingKind.Altered, $"is altered: it is {size} bytes with SHA-256 {sha256}, {BundleLayout.Manifest} records {file.Size} bytes with {file.Sha256}.");
            }
        }

        public VerificationResult Result(string target) => new(
            target,
            _findings.OrderBy(f => f.Name, StringComparer.Ordinal).ThenBy(f => f.Problem, StringComparer.Ordinal).ToList(),
            new VerificationCounts(FilesRead + _unreadable.Count, Items, RawPayloads, LedgerEntries)) { Notes = Notes };

        /// <summary>Every file but the manifest, SHA256SUMS and the signature files must be in the manifest, read or not.</summary>
        private void CheckListed(string path, UInt128 key)
        {
            if (Listed is not null && path is not (BundleLayout.Manifest or BundleLayout.Sha256Sums) && !BundleLayout.SignatureFiles.Contains(path)
                && !Listed.ContainsKey(key))
            {
                Add(path, FindingKind.Added, $"is in the bundle but not listed in {BundleLayout.Manifest}.");
            }
        }
    }
}
