using System.Runtime.CompilerServices;

namespace Aims.Collectors.Documents;

/// <summary>
/// Documents in a local folder (and its subfolders). Symbolic links are followed while they stay inside the folder;
/// a link or path that leaves it is refused when read, so it becomes a collector error naming it.
/// </summary>
public sealed class FolderDocumentFiles(string root) : IDocumentFiles
{
    private readonly string _root = Path.GetFullPath(root);
    private readonly DocumentFolder _folder = new(root);

    public string Description => _root;

    public async IAsyncEnumerable<string> ListAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(_root))
        {
            throw new DocumentFilesException($"the documents folder '{_root}' does not exist");
        }

        foreach (var relative in _folder.EnumerateFiles())
        {
            cancellationToken.ThrowIfCancellationRequested();
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

    private string Resolve(string relative) => _folder.Resolve(relative);
}
