using System.Text;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Aims.Testing;

namespace Aims.Storage.Tests;

/// <summary>
/// What an unchanged re-run asks of the folder store: payloads it already holds, ledger appends after lines of any
/// length, an index that is set up once per process but comes back when its file is deleted.
/// </summary>
public sealed class FolderStoreRerunTests : IDisposable
{
    private readonly TempDirectory _dir = new("aims-store");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_raw_payload_already_stored_is_recognised_without_a_temporary_write()
    {
        var store = new FolderEvidenceStore(_dir.Path);
        var bytes = Encoding.UTF8.GetBytes("{\"pullRequests\":[]}");
        var first = await store.PutRawAsync(new MemoryStream(bytes));

        // No temporary file can be made any more: a payload that needs one fails, one that is already stored does not.
        Directory.Delete(Path.Combine(_dir.Path, "state", "tmp"), recursive: true);
        await File.WriteAllTextAsync(Path.Combine(_dir.Path, "state", "tmp"), "not a folder");
        var again = await store.PutRawAsync(new MemoryStream(bytes));

        Assert.Equal(WriteOutcome.Created, first.Outcome);
        Assert.Equal(new RawRef(first.Sha256, bytes.Length, WriteOutcome.AlreadyExists), again);
        await Assert.ThrowsAsync<StoreFailureException>(() => store.PutRawAsync(new MemoryStream("{\"other\":1}"u8.ToArray())));
    }

    [Fact]
    public async Task A_stored_payload_read_from_a_stream_position_is_hashed_from_there()
    {
        var store = new FolderEvidenceStore(_dir.Path);
        var payload = "{\"releases\":[1,2,3]}"u8.ToArray();
        await store.PutRawAsync(new MemoryStream(payload));
        var prefixed = new MemoryStream([.. "ignored prefix"u8.ToArray(), .. payload]) { Position = "ignored prefix".Length };

        var again = await store.PutRawAsync(prefixed);

        Assert.Equal(WriteOutcome.AlreadyExists, again.Outcome);
        Assert.Equal(payload.Length, again.Length);
    }

    [Fact]
    public async Task A_batch_is_appended_in_its_order_and_completes_the_entries_a_crashed_batch_left_undone()
    {
        // Given a batch whose first attempt stopped after writing two of its item files (no ledger entries, no index rows)
        var store = new FolderEvidenceStore(_dir.Path);
        var items = Enumerable.Range(0, 6).Select(i => TestItems.Document($"doc-{i}", TestItems.Monday.AddMinutes(i))).ToList();
        foreach (var crashed in items.Take(2))
        {
            var path = Path.Combine(_dir.Path, StoreLayout.ItemPath(crashed.Id));
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await File.WriteAllBytesAsync(path, EvidenceItemJson.ToBytes(crashed));
        }

        // When the batch is redelivered, and then once more
        var outcomes = await store.PutItemsAsync(items);
        var again = await new FolderEvidenceStore(_dir.Path).PutItemsAsync(items);

        // Then every item has one entry, in the batch's order, in a valid chain, and indexed; the second delivery adds nothing
        Assert.Equal([WriteOutcome.AlreadyExists, WriteOutcome.AlreadyExists, .. Enumerable.Repeat(WriteOutcome.Created, 4)], outcomes);
        Assert.All(again, o => Assert.Equal(WriteOutcome.AlreadyExists, o));
        var ledger = new List<LedgerEntry>();
        await foreach (var entry in store.ReadLedgerAsync())
        {
            ledger.Add(entry);
        }

        Assert.Equal(items.Select(i => i.Id), ledger.Select(e => e.ItemId));
        LedgerChains.AssertValid(ledger);
        Assert.Equal(items.Count, (await store.ReadIndexAsync(Aims.Evidence.EvidenceKinds.Document)).Count);
    }

    [Fact]
    public async Task Ledger_lines_longer_than_the_tail_window_still_chain()
    {
        var store = new FolderEvidenceStore(_dir.Path);
        var longId = new string('x', 9000);

        await store.PutItemAsync(TestItems.Document(longId + "1"));
        await store.PutItemAsync(TestItems.Document(longId + "2"));
        await store.PutItemAsync(TestItems.Document("short"));

        var ledger = await ReadLedgerAsync(store);
        Assert.Equal([1L, 2L, 3L], ledger.Select(e => e.Sequence));
        LedgerChains.AssertValid(ledger);
    }

    [Fact]
    public async Task A_torn_ledger_line_longer_than_the_tail_window_is_cut_off_before_the_next_append()
    {
        var store = new FolderEvidenceStore(_dir.Path);
        await store.PutItemAsync(TestItems.Document("before"));
        var ledgerFile = Directory.GetFiles(Path.Combine(_dir.Path, "ledger"), "*.jsonl").Single();
        await File.AppendAllTextAsync(ledgerFile, "{\"sequence\":2,\"itemId\":\"" + new string('a', 20_000));

        await store.PutItemAsync(TestItems.Document("after"));

        var ledger = await ReadLedgerAsync(store);
        Assert.Equal(["before", "after"], ledger.Select(e => e.SubjectKey.Split('/')[^1]));
        LedgerChains.AssertValid(ledger);
    }

    [Fact]
    public async Task An_index_file_deleted_while_the_store_is_open_is_recreated_on_the_next_write()
    {
        var store = new FolderEvidenceStore(_dir.Path);
        var first = TestItems.Document("one");
        await store.PutItemAsync(first);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var file in Directory.GetFiles(Path.Combine(_dir.Path, "state"), "index.db*"))
        {
            File.Delete(file);
        }

        var second = TestItems.Document("two");
        await store.PutItemAsync(second);

        Assert.True(File.Exists(Path.Combine(_dir.Path, "state", "index.db")));
        Assert.True(await store.Index.ContainsItemAsync(second.Id));
        Assert.True(await store.Index.ContainsItemAsync(first.Id), "the ledger's earlier entry is indexed again");
    }

    private static async Task<List<LedgerEntry>> ReadLedgerAsync(FolderEvidenceStore store)
    {
        var entries = new List<LedgerEntry>();
        await foreach (var entry in store.ReadLedgerAsync())
        {
            entries.Add(entry);
        }

        return entries;
    }
}
