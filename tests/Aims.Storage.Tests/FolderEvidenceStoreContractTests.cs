using Aims.Testing;

namespace Aims.Storage.Tests;

public sealed class FolderEvidenceStoreContractTests : EvidenceStoreContractTests, IDisposable
{
    private readonly List<TempDirectory> _folders = [];

    protected override Task<EvidenceStoreBase> CreateStoreAsync()
    {
        var folder = new TempDirectory("aims-store");
        _folders.Add(folder);
        return Task.FromResult<EvidenceStoreBase>(new FolderEvidenceStore(folder.Path));
    }

    protected override EvidenceStoreBase OpenSecondWriter(EvidenceStoreBase store, string writerId) =>
        new FolderEvidenceStore(((FolderEvidenceStore)store).Root);

    protected override async Task WriteOutOfBandAsync(EvidenceStoreBase store, string path, byte[] content)
    {
        var full = Path.Combine(((FolderEvidenceStore)store).Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        await File.WriteAllBytesAsync(full, content);
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }
}
