using System.Text;
using Aims.Evidence.Store;
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

    [Fact]
    public async Task Ledger_heads_skip_a_torn_last_line_and_include_segments_copied_from_a_container()
    {
        // Given a folder store with three entries, a segment copied in from a Blob store, and a line cut short by a crash
        var store = (FolderEvidenceStore)await CreateStoreAsync();
        for (var i = 0; i < 3; i++)
        {
            await store.PutItemAsync(TestItems.Document($"doc-{i}"));
        }

        var copied = LedgerEntry.Create(TestItems.Document("copied"), "collector-9", 1, LedgerEntry.GenesisHash, TestItems.Monday);
        var second = LedgerEntry.Create(TestItems.Document("copied-2"), "collector-9", 2, copied.Hash, TestItems.Monday);
        await WriteOutOfBandAsync(store, "ledger/collector-9/000000.jsonl", Encoding.UTF8.GetBytes(copied.ToLine() + "\n"));
        await WriteOutOfBandAsync(store, "ledger/collector-9/000001.jsonl", Encoding.UTF8.GetBytes(second.ToLine() + "\n"));
        var local = Path.Combine(store.Root, "ledger", "local.jsonl");
        var complete = (await File.ReadAllLinesAsync(local)).Where(l => l.Length > 0).ToList();
        await File.AppendAllTextAsync(local, complete[^1][..40]);

        // When the heads are read from the files' ends
        var heads = await store.ReadLedgerHeadsAsync();

        // Then the torn line is not a head, and each segment's head is its highest entry
        var last = LedgerEntry.ParseLine(complete[^1]);
        Assert.Equal(
            new[] { new LedgerHead("collector-9", 2, second.Hash, second.RecordedAt), new LedgerHead("local", 3, last.Hash, last.RecordedAt) },
            heads);
    }

    public void Dispose()
    {
        foreach (var folder in _folders)
        {
            folder.Dispose();
        }
    }
}
