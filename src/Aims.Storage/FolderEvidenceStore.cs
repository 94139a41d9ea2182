using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Storage;

/// <summary>
/// The evidence store in a local folder (the default). Every write goes to a temporary file in the target
/// folder and is then renamed into place, so a crash never leaves a half-written object visible. Create-only
/// writes use a rename that fails when the target exists; index and ledger updates hold a lock file, so
/// several processes can share one folder.
/// </summary>
public sealed class FolderEvidenceStore : EvidenceStoreBase
{
    private const string TempPrefix = ".tmp-";
    private const string LedgerSegment = "local";
    private readonly string _root;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _ledgerGate = new(1, 1);

    public FolderEvidenceStore(string root, TimeProvider? time = null)
    {
        _root = Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
    }

    public override string Description => _root;

    public string Root => _root;

    private string LedgerFile => Full($"{StoreLayout.LedgerPrefix}{LedgerSegment}.jsonl");

    public override async Task<RawRef> PutRawAsync(Stream content, CancellationToken cancellationToken = default)
    {
        var rawDir = Full(StoreLayout.RawPrefix);
        Directory.CreateDirectory(rawDir);
        var temp = Path.Combine(rawDir, TempPrefix + Path.GetRandomFileName());
        string sha;
        long length;
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await using (var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                length = file.Length;
            }

            sha = Convert.ToHexStringLower(hash.GetHashAndReset());
            var target = Full(StoreLayout.RawPath(sha));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            return TryMoveCreateOnly(temp, target)
                ? new RawRef(sha, length, WriteOutcome.Created)
                : new RawRef(sha, length, WriteOutcome.AlreadyExists);
        }
        finally
        {
            File.Delete(temp);
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
            File.Delete(temp);
        }
    }

    protected override Task<Stream?> OpenReadAsync(string path, CancellationToken cancellationToken)
    {
        var full = Full(path);
        try
        {
            return Task.FromResult<Stream?>(new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 81920, useAsync: true));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return Task.FromResult<Stream?>(null);
        }
    }

    protected override async Task<(byte[]? Content, string? Version)> ReadVersionedAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            var bytes = await File.ReadAllBytesAsync(Full(path), cancellationToken).ConfigureAwait(false);
            return (bytes, Version(bytes));
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return (null, null);
        }
    }

    protected override async Task<bool> TryReplaceAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken)
    {
        var target = Full(path);
        await using var fileLock = await FolderLock.AcquireAsync(target + ".lock", cancellationToken).ConfigureAwait(false);
        string? current = File.Exists(target) ? Version(await File.ReadAllBytesAsync(target, cancellationToken).ConfigureAwait(false)) : null;
        if (current != expectedVersion)
        {
            return false;
        }

        var temp = await WriteTempAsync(target, content, cancellationToken).ConfigureAwait(false);
        File.Move(temp, target, overwrite: true);
        return true;
    }

    protected override async Task OverwriteAsync(string path, Stream content, CancellationToken cancellationToken)
    {
        var target = Full(path);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var temp = Path.Combine(Path.GetDirectoryName(target)!, TempPrefix + Path.GetRandomFileName());
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
            File.Delete(temp);
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

    protected override async Task AppendLedgerAsync(EvidenceItem item, CancellationToken cancellationToken)
    {
        await _ledgerGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(LedgerFile)!);
            await using var fileLock = await FolderLock.AcquireAsync(LedgerFile + ".lock", cancellationToken).ConfigureAwait(false);
            await using var file = new FileStream(LedgerFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, useAsync: true);
            var last = await ReadLastEntryAndTrimTornTailAsync(file, cancellationToken).ConfigureAwait(false);
            var entry = LedgerEntry.Create(item, LedgerSegment, (last?.Sequence ?? 0) + 1, last?.Hash ?? LedgerEntry.GenesisHash, _time.GetUtcNow());
            file.Seek(0, SeekOrigin.End);
            await file.WriteAsync(Encoding.UTF8.GetBytes(entry.ToLine() + "\n"), cancellationToken).ConfigureAwait(false);
            await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _ledgerGate.Release();
        }
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
            using var reader = new StreamReader(Full(segment), Encoding.UTF8);
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
                    throw new FormatException($"{segment} line {lineNumber}: {ex.Message}", ex);
                }

                yield return entry;
            }
        }
    }

    /// <summary>Returns the last complete entry; a line cut short by a crash (no trailing newline) is removed first.</summary>
    private static async Task<LedgerEntry?> ReadLastEntryAndTrimTornTailAsync(FileStream file, CancellationToken cancellationToken)
    {
        if (file.Length == 0)
        {
            return null;
        }

        var window = (int)Math.Min(file.Length, 64 * 1024);
        var buffer = new byte[window];
        file.Seek(-window, SeekOrigin.End);
        await file.ReadExactlyAsync(buffer, cancellationToken).ConfigureAwait(false);
        var end = buffer.Length;
        if (buffer[^1] != (byte)'\n')
        {
            var lastNewline = Array.LastIndexOf(buffer, (byte)'\n');
            var keep = file.Length - window + lastNewline + 1;
            file.SetLength(keep);
            end = lastNewline + 1;
            if (lastNewline < 0)
            {
                return null;
            }
        }

        var start = Array.LastIndexOf(buffer, (byte)'\n', end - 2) + 1;
        return LedgerEntry.ParseLine(Encoding.UTF8.GetString(buffer, start, end - 1 - start));
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

    private static async Task<string> WriteTempAsync(string target, ReadOnlyMemory<byte> content, CancellationToken cancellationToken)
    {
        var dir = Path.GetDirectoryName(target)!;
        Directory.CreateDirectory(dir);
        var temp = Path.Combine(dir, TempPrefix + Path.GetRandomFileName());
        await using var file = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
        await file.WriteAsync(content, cancellationToken).ConfigureAwait(false);
        await file.FlushAsync(cancellationToken).ConfigureAwait(false);
        return temp;
    }

    /// <summary>Atomically renames <paramref name="temp"/> to <paramref name="target"/> unless the target exists.</summary>
    private static bool TryMoveCreateOnly(string temp, string target)
    {
        try
        {
            File.Move(temp, target, overwrite: false);
            return true;
        }
        catch (IOException) when (File.Exists(target))
        {
            return false;
        }
    }

    private static string Version(byte[] content) => Convert.ToHexStringLower(SHA256.HashData(content));
}
