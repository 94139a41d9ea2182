using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Storage;

/// <summary>
/// The evidence store in a local folder (the default). Every write goes to a temporary file in <c>state/tmp/</c>
/// and is then renamed into place, so a crash never leaves a half-written object visible; temporary files of a
/// process that is gone are deleted on the next open. Create-only writes use a rename that fails when the target
/// exists; ledger appends hold a lock file, so several processes can share one folder. The index is a SQLite
/// database, <c>state/index.db</c>, updated under the same lock as the ledger.
/// </summary>
public sealed class FolderEvidenceStore : EvidenceStoreBase
{
    private const string TempPrefix = ".tmp-";
    private const string LedgerSegment = "local";
    private const string IndexedLedgerBytes = "ledger-bytes-indexed";
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _ledgerGate = new(1, 1);
    private readonly SqliteEvidenceIndex _index;
    private int _tempsSwept;

    // This writer's last ledger append and the ledger's length right after it (read and written under _ledgerGate).
    private (LedgerEntry Entry, long Length)? _lastAppended;

    public FolderEvidenceStore(string root, TimeProvider? time = null)
    {
        _root = Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
        _index = new SqliteEvidenceIndex(Path.Combine(_root, "state", "index.db"));
    }

    public override string Description => _root;

    public override string ReportsLocation => _root;

    public string Root => _root;

    public override IEvidenceIndexStore Index => _index;

    public override Task<bool> ExistsAsync(CancellationToken cancellationToken = default) => Task.FromResult(Directory.Exists(_root));

    /// <summary>Where temporary files are written before they are renamed into place.</summary>
    private string TempDirectory => Path.Combine(_root, "state", "tmp");

    private string LedgerFile => Full($"{StoreLayout.LedgerPrefix}{LedgerSegment}.jsonl");

    public override async Task<RawRef> PutRawAsync(Stream content, CancellationToken cancellationToken = default)
    {
        if (await FindStoredRawAsync(content, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            return stored;
        }

        string temp;
        try
        {
            temp = NewTempPath();
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Failure(ex);
        }

        string sha;
        long length;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = await StoreStepAsync(() => Task.FromResult(new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))).ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;

                // Reading the content is the source's business (its errors are the source's); writing is the store's.
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await StoreStepAsync(async () =>
                    {
                        await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                        return 0;
                    }).ConfigureAwait(false);
                }

                await StoreStepAsync(async () =>
                {
                    await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                    return 0;
                }).ConfigureAwait(false);
                length = file.Length;
            }

            sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = Full(StoreLayout.RawPath(sha));
            return await StoreStepAsync(() =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                return Task.FromResult(TryMoveCreateOnly(temp, target)
                    ? new RawRef(sha, length, WriteOutcome.Created)
                    : new RawRef(sha, length, WriteOutcome.AlreadyExists));
            }).ConfigureAwait(false);
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    /// <summary>
    /// For content that can be read twice (a payload in memory): hashes it first and, when a raw payload with that hash
    /// is already stored, answers "already exists" without writing a temporary copy. An unchanged re-run stores every
    /// payload it stored the day before; this makes each a hash and a stat instead of a write, a rename and a delete.
    /// </summary>
    private async Task<RawRef?> FindStoredRawAsync(Stream content, CancellationToken cancellationToken)
    {
        if (!content.CanSeek)
        {
            return null;
        }

        var start = content.Position;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[(int)Math.Clamp(content.Length - start, 1, 81920)];
        int read;
        while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            hash.AppendData(buffer, 0, read);
        }

        var sha = Convert.ToHexStringLower(hash.GetHashAndReset());
        if (File.Exists(Full(StoreLayout.RawPath(sha))))
        {
            return new RawRef(sha, content.Length - start, WriteOutcome.AlreadyExists);
        }

        content.Position = start;
        return null;
    }

    private async Task<T> StoreStepAsync<T>(Func<Task<T>> step)
    {
        try
        {
            return await step().ConfigureAwait(false);
        }
        catch (Exception ex) when (IsStoreFault(ex))
        {
            throw Failure(ex);
        }
    }

    /// <summary>Removes a temporary file; on a read-only or failing disk the sweep of the next open removes it instead.</summary>
    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next open's sweep: the original failure is the one to report.
        }
    }

    protected override async Task<bool> TryCreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var target = Full(path);
        if (File.Exists(target))
        {
            return false;
        }

        var temp = await WriteTempAsync(target, content, cancellationToken).ConfigureAwait(false);
        try
        {
            return TryMoveCreateOnly(temp, target);
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    protected override Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Full(path);
        try
        {
            // Unbuffered: every reader brings its own buffer (CopyToAsync, a StreamReader, analysis's pooled buffer); an
            // 80 KB FileStream buffer per open came to 8 GB for 100,000 items analysed and 0.6 GB of a 300-repository re-run.
            return Task.FromResult<Stream?>(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, bufferSize: 0, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    protected override Task<Stream?> OpenStateAsync(string name, CancellationToken cancellationToken) => OpenReadAsync(name, cancellationToken);

    protected override IAsyncEnumerable<string> ListStateAsync(string prefix, CancellationToken cancellationToken) => ListAsync(prefix, cancellationToken);

    protected override async Task WriteStateAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var target = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = NewTempPath();
        try
        {
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await content.CopyToAsync(file, cancellationToken).ConfigureAwait(false);
            }

            File.Move(temp, target, overwrite: true);
        }
        finally
        {
            DeleteQuietly(temp);
        }
    }

    protected override async IAsyncEnumerable<string> ListAsync(string prefix, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var dir = Full(prefix);
        if (!Directory.Exists(dir))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var name = Path.GetFileName(file);
            if (name.StartsWith(TempPrefix, StringComparison.Ordinal) || name.EndsWith(".lock", StringComparison.Ordinal))
            {
                continue;
            }

            yield return Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    protected override Task AppendLedgerAsync(EvidenceItem item, bool redelivered, CancellationToken cancellationToken) =>
        AppendLedgerAsync([item], cancellationToken);

    /// <summary>
    /// A batch with the single write's order for each item (item file, then ledger entry, then index row), but one ledger
    /// lock, one append and one index transaction for the whole batch: a job's items cost one pass under the lock instead
    /// of one per item, which other jobs of the run would otherwise queue behind. A crash after some item files are
    /// written leaves items without entries, which the redelivered batch completes as a single write does.
    /// </summary>
    protected override async Task<IReadOnlyList<WriteOutcome>> PutSealedItemsAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken)
    {
        var outcomes = new WriteOutcome[items.Count];
        var toLedger = new List<EvidenceItem>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            if (await TryCreateAsync(StoreLayout.ItemPath(item.Id), EvidenceItemJson.ToBytes(item), cancellationToken).ConfigureAwait(false))
            {
                outcomes[i] = WriteOutcome.Created;
                toLedger.Add(item);
                continue;
            }

            // Stored before (redelivery, or another writer of the same item): only a crashed first attempt lacks its entry.
            outcomes[i] = WriteOutcome.AlreadyExists;
            if (!await Index.ContainsItemAsync(item.Id, cancellationToken).ConfigureAwait(false))
            {
                toLedger.Add(await GetItemAsync(item.Id, cancellationToken).ConfigureAwait(false) ?? item);
            }
        }

        if (toLedger.Count > 0)
        {
            await AppendLedgerAsync(toLedger, cancellationToken).ConfigureAwait(false);
        }

        return outcomes;
    }

    /// <summary>
    /// Under the ledger lock: first index whatever the ledger holds beyond what the index has seen (a run killed
    /// between its append and its index update), then append a line for each item the ledger does not hold yet and
    /// record them in the index together with the new ledger length. So two processes writing the same item never
    /// append it twice, and the index never misses a ledger entry.
    /// </summary>
    private async Task AppendLedgerAsync(IReadOnlyList<EvidenceItem> items, CancellationToken cancellationToken)
    {
        await _ledgerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(LedgerFile)!);
            await using var fileLock = await FolderLock.AcquireAsync(LedgerFile + ".lock", cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(LedgerFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, useAsync: true);
            // The ledger only grows by whole lines (a torn tail is cut back to the last whole one), so while it still ends
            // where this writer's last append left it, that append is its last entry: no read, no parse.
            var last = _lastAppended is { } mine && mine.Length == file.Length
                ? mine.Entry
                : await ReadLastEntryAndTrimTornTailAsync(file, cancellationToken).ConfigureAwait(false);
            await using var connection = await _index.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            var indexed = await SqliteEvidenceIndex.ReadMetaAsync(connection, transaction, IndexedLedgerBytes, cancellationToken).ConfigureAwait(false);
            if (indexed < file.Length)
            {
                await IndexLedgerTailAsync(connection, transaction, file, indexed, cancellationToken).ConfigureAwait(false);
            }

            var appended = new List<IndexedObservation>(items.Count);
            var lines = new StringBuilder();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var item in items)
            {
                // Checked even for an item this writer just created: a concurrent writer of the same item may have found it
                // stored and appended its entry first.
                if (!seen.Add(item.Id) || await ContainsAsync(connection, transaction, item.Id, cancellationToken).ConfigureAwait(false))
                {
                    continue;
                }

                var entry = LedgerEntry.Create(item, LedgerSegment, (last?.Sequence ?? 0) + 1, last?.Hash ?? LedgerEntry.GenesisHash, _time.GetUtcNow());
                lines.Append(entry.ToLine()).Append('\n');
                appended.Add(IndexedObservation.For(entry));
                last = entry;
            }

            if (appended.Count > 0)
            {
                file.Seek(0, SeekOrigin.End);
                await file.WriteAsync(Encoding.UTF8.GetBytes(lines.ToString()), cancellationToken).ConfigureAwait(false);
                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                _lastAppended = (last!, file.Length);
                await SqliteEvidenceIndex.RecordAsync(connection, transaction, appended, cancellationToken).ConfigureAwait(false);
            }

            await SqliteEvidenceIndex.WriteMetaAsync(connection, transaction, IndexedLedgerBytes, file.Length, cancellationToken).ConfigureAwait(false);
            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _ledgerGate.Release();
        }
    }

    protected override async Task OnIndexRebuiltAsync(CancellationToken cancellationToken)
    {
        var length = File.Exists(LedgerFile) ? new FileInfo(LedgerFile).Length : 0;
        await using var connection = await _index.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = (Microsoft.Data.Sqlite.SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await SqliteEvidenceIndex.WriteMetaAsync(connection, transaction, IndexedLedgerBytes, length, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<bool> ContainsAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, string itemId, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT 1 FROM observations WHERE item_id = $id";
        command.Parameters.AddWithValue("$id", itemId);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is not null;
    }

    private static async Task IndexLedgerTailAsync(Microsoft.Data.Sqlite.SqliteConnection connection, Microsoft.Data.Sqlite.SqliteTransaction transaction, FileStream file, long from, CancellationToken cancellationToken)
    {
        file.Seek(from, SeekOrigin.Begin);
        var observations = new List<IndexedObservation>();
        using (var reader = new StreamReader(file, Encoding.UTF8, detectEncodingFromByteOrderMarks: false, 4096, leaveOpen: true))
        {
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length > 0)
                {
                    observations.Add(IndexedObservation.For(LedgerEntry.ParseLine(line)));
                }
            }
        }

        await SqliteEvidenceIndex.RecordAsync(connection, transaction, observations, cancellationToken).ConfigureAwait(false);
    }

    public override async IAsyncEnumerable<LedgerEntry> ReadLedgerAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var segments = new List<string>();
        await foreach (var path in ListAsync(StoreLayout.LedgerPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (path.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                segments.Add(path);
            }
        }

        foreach (var segment in segments.Order(StringComparer.Ordinal))
        {
            // Read inline: an async read of a local file is a sync read queued to the thread pool, and a walk of a large
            // ledger (a bundle's) spent more time on those hops, and on idle pool threads spinning for work, than reading.
            using var reader = new StreamReader(Full(segment), Encoding.UTF8, detectEncodingFromByteOrderMarks: true, new FileStreamOptions { BufferSize = 64 * 1024 });
            var lineNumber = 0;
            while (reader.ReadLine() is { } line)
            {
                cancellationToken.ThrowIfCancellationRequested();
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
                    throw new FormatException($"{segment} line {lineNumber}: {ex.Message}", ex);
                }

                yield return entry;
            }
        }
    }

    protected override async IAsyncEnumerable<LedgerEntry> ReadLedgerTailsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var path in ListAsync(StoreLayout.LedgerPrefix, cancellationToken).ConfigureAwait(false))
        {
            if (!path.EndsWith(".jsonl", StringComparison.Ordinal))
            {
                continue;
            }

            // Read-only and without the lock: a concurrent append only adds whole lines after the ones read here.
            await using var file = new FileStream(Full(path), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
            var last = await LedgerTail.ReadLastEntryAsync(path, file.Length, async (offset, count, ct) =>
            {
                var buffer = new byte[count];
                file.Seek(offset, SeekOrigin.Begin);
                await file.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
                return buffer;
            }, tornTailAllowed: true, cancellationToken).ConfigureAwait(false);
            if (last is not null)
            {
                yield return last;
            }
        }
    }

    /// <summary>
    /// Returns the last complete entry; a line cut short by a crash (no trailing newline) is removed first. Reads a few
    /// kilobytes from the end (a ledger line is well under one) and widens the window only when a line does not fit:
    /// this runs once per item written.
    /// </summary>
    private static async Task<LedgerEntry?> ReadLastEntryAndTrimTornTailAsync(FileStream file, CancellationToken cancellationToken)
    {
        for (var window = 4096L; ; window *= 4)
        {
            if (file.Length == 0)
            {
                return null;
            }

            var buffer = new byte[Math.Min(file.Length, window)];
            var offset = file.Length - buffer.Length;
            file.Seek(offset, SeekOrigin.Begin);
            await file.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
            var end = buffer.Length;
            if (buffer[^1] != (byte)'\n')
            {
                var lastNewline = Array.LastIndexOf(buffer, (byte)'\n');
                if (lastNewline < 0 && offset > 0)
                {
                    continue;
                }

                file.SetLength(offset + lastNewline + 1);
                if (lastNewline < 0)
                {
                    return null;
                }

                end = lastNewline + 1;
            }

            var start = end >= 2 ? Array.LastIndexOf(buffer, (byte)'\n', end - 2) + 1 : 0;
            if (start == 0 && offset > 0)
            {
                continue;
            }

            return LedgerEntry.ParseLine(Encoding.UTF8.GetString(buffer, start, end - 1 - start));
        }
    }

    private string Full(string relative)
    {
        var full = Path.GetFullPath(Path.Combine(_root, relative));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) && full != _root)
        {
            throw new ArgumentException($"'{relative}' would leave the store folder.", nameof(relative));
        }

        return full;
    }

    private async Task<string> WriteTempAsync(string target, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = NewTempPath();
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        return temp;
    }

    /// <summary>Atomically renames <paramref name="temp"/> to <paramref name="target"/> unless the target exists.</summary>
    /// <summary>
    /// Puts the finished temporary file in place only if nothing is there yet, atomically: exactly one of several writers
    /// racing for one name succeeds. On Unix <c>File.Move(overwrite: false)</c> is not enough: it checks that the target is
    /// absent and then renames, so two writers can both pass the check and the second rename replaces the first file
    /// (both report "created"). A hard link is created or refused with EEXIST in one step; the caller deletes the
    /// temporary name either way. A file system without hard links falls back to the move.
    /// </summary>
    private static bool TryMoveCreateOnly(string temp, string target)
    {
        if (!OperatingSystem.IsWindows())
        {
            if (UnixLinks.Link(temp, target) == 0)
            {
                return true;
            }

            var errno = Marshal.GetLastPInvokeError();
            if (errno == UnixLinks.AlreadyExists)
            {
                return false;
            }

            if (!UnixLinks.MeansNoHardLinks(errno))
            {
                throw new IOException($"Could not create {target}: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
        }

        try
        {
            // Windows: MoveFileEx without MOVEFILE_REPLACE_EXISTING refuses an existing target in one step.
            File.Move(temp, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
    }

    /// <summary>A temporary file name that carries this process's id, so a later open can tell a dead run's leftovers.</summary>
    private string NewTempPath()
    {
        if (Interlocked.Exchange(ref _tempsSwept, 1) == 0)
        {
            SweepDeadTemps();
        }

        Directory.CreateDirectory(TempDirectory);
        return Path.Combine(TempDirectory, $"{TempPrefix}{Environment.ProcessId}-{Path.GetRandomFileName()}");
    }

    /// <summary>Deletes temporary files left by processes that no longer run (a killed run); live writers' files stay.</summary>
    private void SweepDeadTemps()
    {
        if (!Directory.Exists(TempDirectory))
        {
            return;
        }

        foreach (var temp in Directory.EnumerateFiles(TempDirectory, TempPrefix + "*"))
        {
            var name = Path.GetFileName(temp)[TempPrefix.Length..];
            var dash = name.IndexOf('-', StringComparison.Ordinal);
            if (dash > 0 && int.TryParse(name.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid) && !IsRunning(pid))
            {
                File.Delete(temp);
            }
        }
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
