namespace Aims.Storage;

/// <summary>An exclusive lock on a lock file, shared between processes that use the same store folder.</summary>
internal sealed class FolderLock : IAsyncDisposable
{
    private readonly FileStream _stream;

    private FolderLock(FileStream stream) => _stream = stream;

    public static async Task<FolderLock> AcquireAsync(string path, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var delay = 1;
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return new FolderLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None));
            }
            catch (IOException) when (attempt < 2000)
            {
                await Task.Delay(delay, cancellationToken).ConfigureAwait(false);
                delay = Math.Min(delay * 2, 50);
            }
        }
    }

    public ValueTask DisposeAsync() => _stream.DisposeAsync();
}
