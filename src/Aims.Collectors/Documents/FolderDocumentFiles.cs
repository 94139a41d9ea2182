using System.Runtime.CompilerServices;

namespace Aims.Collectors.Documents;

/// <summary>Documents in a local folder (and its subfolders). Symbolic links and paths that leave the folder are refused.</summary>
public sealed class FolderDocumentFiles(string root) : IDocumentFiles
{
    private readonly string _root = Path.GetFullPath(root);

    public string Description => _root;

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            throw new DocumentFilesException($"the documents folder '{_root}' does not exist");
        }

        var options = new EnumerationOptions { RecurseSubdirectories = true, IgnoreInaccessible = true, AttributesToSkip = FileAttributes.Hidden | FileAttributes.ReparsePoint };
        foreach (var file in Directory.EnumerateFiles(_root, "*", options))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var relative = Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/');
            if (!DocumentSelection.IsHidden(relative))
            {
                yield return relative;
            }
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    public Task<DocumentFile?> OpenAsync(string relativePath, CancellationToken cancellationToken = default)
    {
        var path = Resolve(relativePath);
        if (!File.Exists(path))
        {
            return Task.FromResult<DocumentFile?>(null);
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, useAsync: true);
        return Task.FromResult<DocumentFile?>(new DocumentFile(stream, stream.Length));
    }

    /// <summary>Maps a relative path from a job message to a file inside the root, refusing anything that leaves it.</summary>
    private string Resolve(string relative)
    {
        if (Path.IsPathRooted(relative) || relative.Split('/', '\\').Any(p => p is ".." or ""))
        {
            throw new ArgumentException($"'{relative}' is not a relative path inside the documents folder.");
        }

        var full = Path.GetFullPath(Path.Combine(_root, relative));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{relative}' leaves the documents folder.");
        }

        if (new FileInfo(full).LinkTarget is not null)
        {
            throw new ArgumentException($"'{relative}' is a symbolic link; documents must be regular files inside the folder.");
        }

        return full;
    }
}
