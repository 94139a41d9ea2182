using System.Security.Cryptography;
using System.Text;
using Aims.Evidence;
using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Storage.Tests;

/// <summary>
/// The store contract, written once. Every backend runs it through a subclass that says how to open a fresh store,
/// a second writer on the same store, and how to change an object behind the store's back.
/// </summary>
public abstract class EvidenceStoreContractTests
{
    /// <summary>A fresh, empty store (a new folder, a new container).</summary>
    protected abstract Task<EvidenceStoreBase> CreateStoreAsync();

    /// <summary>Another writer (another process or instance) on the store <paramref name="store"/> uses.</summary>
    protected abstract EvidenceStoreBase OpenSecondWriter(EvidenceStoreBase store, string writerId);

    /// <summary>Writes an object directly, as an intruder or a crashed writer would.</summary>
    protected abstract Task WriteOutOfBandAsync(EvidenceStoreBase store, string path, byte[] content);

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> source)
    {
        var list = new List<T>();
        await foreach (var item in source)
        {
            list.Add(item);
        }

        return list;
    }

    [Fact]
    public async Task A_new_item_is_created_and_reads_back_unchanged()
    {
        var store = await CreateStoreAsync();
        var item = TestItems.Document("ai-policy");

        var outcome = await store.PutItemAsync(item);
        var stored = await store.GetItemAsync(item.Id);

        Assert.Equal(WriteOutcome.Created, outcome);
        Assert.NotNull(stored);
        Assert.Equal(item.Sha256, stored.Sha256);
        Assert.Equal(item.Sha256, EvidenceItemJson.ComputeHash(stored));
        Assert.Equal(new[] { item.Id }, await ToListAsync(store.ListItemIdsAsync()));
    }

    [Fact]
    public async Task Checkpoints_are_create_only_and_list_by_name()
    {
        var store = await CreateStoreAsync();

        var first = await store.PutCheckpointAsync("local/000001.json", Encoding.UTF8.GetBytes("first"));
        var second = await store.PutCheckpointAsync("local/000001.json", Encoding.UTF8.GetBytes("second"));
        await using var stream = await store.OpenCheckpointAsync("local/000001.json");
        using var reader = new StreamReader(stream!);

        Assert.Equal(WriteOutcome.Created, first);
        Assert.Equal(WriteOutcome.AlreadyExists, second);
        Assert.Equal("first", await reader.ReadToEndAsync());
        Assert.Equal(new[] { "local/000001.json" }, await ToListAsync(store.ListCheckpointNamesAsync()));
        Assert.Null(await store.OpenCheckpointAsync("local/000002.json"));
        await Assert.ThrowsAsync<ArgumentException>(() => store.PutCheckpointAsync("../items/x", Encoding.UTF8.GetBytes("x")));
    }

    [Fact]
    public async Task Ledger_heads_name_the_last_entry_of_each_segment()
    {
        var store = await CreateStoreAsync();
        Assert.Empty(await store.ReadLedgerHeadsAsync());

        await store.PutItemAsync(TestItems.Document("ai-policy"));
        await store.PutItemAsync(TestItems.Document("impact-assessment"));
        var entries = await ToListAsync(store.ReadLedgerAsync());
        var heads = await store.ReadLedgerHeadsAsync();

        var head = Assert.Single(heads);
        Assert.Equal(entries[^1].Segment, head.Segment);
        Assert.Equal(entries[^1].Sequence, head.Sequence);
        Assert.Equal(entries[^1].Hash, head.Hash);
    }

    [Fact]
    public async Task Ledger_heads_read_from_the_segment_ends_equal_a_full_scan_with_several_writers()
    {
        // Given three writers (a segment each where the backend has segments) interleaving their items
        var store = await CreateStoreAsync();
        var writers = new[] { store, OpenSecondWriter(store, "heads-b"), OpenSecondWriter(store, "heads-c") };
        for (var i = 0; i < 12; i++)
        {
            await writers[i % writers.Length].PutItemAsync(TestItems.Document($"heads-{i}", TestItems.Monday.AddMinutes(i)));
        }

        // When the heads are read from the ends of the ledger files
        var heads = await store.ReadLedgerHeadsAsync();

        // Then they are exactly what reading every entry finds
        Assert.Equal(LedgerChains.HeadsByFullScan(await ToListAsync(store.ReadLedgerAsync())), heads);
        Assert.Equal(12, heads.Sum(h => h.Sequence));
    }

    [Fact]
    public async Task Items_are_create_only_and_the_first_write_wins()
    {
        var store = await CreateStoreAsync();
        var first = TestItems.Document("ai-policy", summary: "first");
        var second = TestItems.Document("ai-policy", summary: "second");
        Assert.Equal(first.Id, second.Id);

        await store.PutItemAsync(first);
        var outcome = await store.PutItemAsync(second);

        Assert.Equal(WriteOutcome.AlreadyExists, outcome);
        Assert.Equal("first", (await store.GetItemAsync(first.Id))!.Summary);
    }

    [Fact]
    public async Task A_redelivered_job_on_another_writer_leaves_one_item_one_ledger_entry_and_the_index()
    {
        var store = await CreateStoreAsync();
        var other = OpenSecondWriter(store, "redelivery-writer");
        var item = TestItems.Document("ai-policy");

        await store.PutItemAsync(item);
        var redelivered = await other.PutItemAsync(item with { });

        Assert.Equal(WriteOutcome.AlreadyExists, redelivered);
        var ledger = await ToListAsync(store.ReadLedgerAsync());
        Assert.Single(ledger, e => e.ItemId == item.Id);
        Assert.Equal(item.Id, (await store.ReadIndexAsync(EvidenceKinds.Document)).Entries.Single().ItemId);
    }

    [Fact]
    public async Task A_redelivery_completes_the_ledger_and_index_a_crashed_first_attempt_left_undone()
    {
        // Given an item whose first write stopped right after the item object (no ledger entry, no index)
        var store = await CreateStoreAsync();
        var item = TestItems.Document("ai-policy");
        await WriteOutOfBandAsync(store, StoreLayout.ItemPath(item.Id), EvidenceItemJson.ToBytes(item));

        // When the job is redelivered
        var outcome = await store.PutItemAsync(item);

        // Then the item is kept, and the ledger and index now record it once
        Assert.Equal(WriteOutcome.AlreadyExists, outcome);
        var ledger = await ToListAsync(store.ReadLedgerAsync());
        Assert.Equal(item.Id, Assert.Single(ledger).ItemId);
        Assert.Equal(item.Id, (await store.ReadIndexAsync(EvidenceKinds.Document)).Entries.Single().ItemId);

        // And a further redelivery adds nothing
        await store.PutItemAsync(item);
        Assert.Single(await ToListAsync(store.ReadLedgerAsync()));
    }

    [Fact]
    public async Task The_index_keeps_the_newest_observation_per_subject_whatever_the_write_order()
    {
        var store = await CreateStoreAsync();
        var newer = TestItems.Document("ai-policy", TestItems.Monday.AddDays(7), runId: "run-2");
        var older = TestItems.Document("ai-policy", TestItems.Monday, runId: "run-1");
        var otherSubject = TestItems.Document("impact-assessment", TestItems.Monday);

        await store.PutItemAsync(newer);
        await store.PutItemAsync(older);
        await store.PutItemAsync(otherSubject);

        var index = await store.ReadIndexAsync(EvidenceKinds.Document);
        Assert.Equal(2, index.Count);
        Assert.Equal(newer.Id, index.Entries.Single(e => e.SubjectKey == "document/ai-policy").ItemId);
        Assert.Equal(newer.Sha256, index.Entries.Single(e => e.SubjectKey == "document/ai-policy").ItemSha256);
        Assert.Equal(new[] { EvidenceKinds.Document }, await ToListAsync(store.ListIndexedKindsAsync()));
    }

    [Fact]
    public async Task A_collector_error_is_indexed_under_the_kind_it_attempted()
    {
        var store = await CreateStoreAsync();
        var ok = TestItems.Document("ai-policy", TestItems.Monday);
        var failed = TestItems.Error("ai-policy", EvidenceKinds.Document, TestItems.Monday.AddDays(1), runId: "run-2");

        await store.PutItemAsync(ok);
        await store.PutItemAsync(failed);

        var entry = (await store.ReadIndexAsync(EvidenceKinds.Document)).Entries.Single();
        Assert.Equal(failed.Id, entry.ItemId);
        Assert.True(entry.IsError);
    }

    [Fact]
    public async Task Reading_an_empty_store_finds_nothing()
    {
        var store = await CreateStoreAsync();

        Assert.Null(await store.GetItemAsync("0123456789abcdef0123456789abcdef"));
        Assert.Null(await store.OpenRawAsync(new string('a', 64)));
        Assert.Null(await store.OpenReportAsync("digests/latest.md"));
        Assert.Equal(0, (await store.ReadIndexAsync(EvidenceKinds.Document)).Count);
        Assert.Empty(await ToListAsync(store.ListItemIdsAsync()));
        Assert.Empty(await ToListAsync(store.ReadLedgerAsync()));
        Assert.Empty(await ToListAsync(store.ListIndexedKindsAsync()));
    }

    [Fact]
    public async Task The_ledger_is_a_valid_hash_chain_recording_every_item_once()
    {
        var store = await CreateStoreAsync();
        var items = Enumerable.Range(0, 12).Select(i => TestItems.Document($"doc-{i}", TestItems.Monday.AddMinutes(i), rawSha256: i % 3 == 0 ? new string('b', 64) : null)).ToList();

        foreach (var item in items)
        {
            await store.PutItemAsync(item);
        }

        var ledger = await ToListAsync(store.ReadLedgerAsync());
        LedgerChains.AssertValid(ledger);
        Assert.Equal(items.Select(i => i.Id).Order(), ledger.Select(e => e.ItemId).Order());
        var first = ledger.Single(e => e.ItemId == items[0].Id);
        Assert.Equal(items[0].Sha256, first.ItemSha256);
        Assert.Equal(new string('b', 64), first.RawSha256);
        Assert.Equal("document/doc-0", first.SubjectKey);
    }

    [Fact]
    public async Task Tampering_with_a_ledger_entry_breaks_its_link()
    {
        var store = await CreateStoreAsync();
        await store.PutItemAsync(TestItems.Document("a"));
        await store.PutItemAsync(TestItems.Document("b"));
        var ledger = await ToListAsync(store.ReadLedgerAsync());

        var forged = ledger[0] with { ItemSha256 = new string('0', 64) };

        Assert.False(forged.IsIntact);
        Assert.Throws<Xunit.Sdk.TrueException>(() => LedgerChains.AssertValid([forged, ledger[1]]));
    }

    [Fact]
    public async Task Raw_payloads_are_stored_once_under_their_sha256()
    {
        var store = await CreateStoreAsync();
        var bytes = Encoding.UTF8.GetBytes("# AI policy\nApproved by the board.\n");
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes));

        var first = await store.PutRawAsync(new MemoryStream(bytes));
        var again = await store.PutRawAsync(new MemoryStream(bytes));

        Assert.Equal(new RawRef(expected, bytes.Length, WriteOutcome.Created), first);
        Assert.Equal(new RawRef(expected, bytes.Length, WriteOutcome.AlreadyExists), again);
        await using var stream = await store.OpenRawAsync(expected);
        Assert.NotNull(stream);
        var copy = new MemoryStream();
        await stream.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(new[] { StoreLayout.RawPath(expected) }, await ToListAsync(store.ListRawPathsAsync()));
    }

    [Fact]
    public async Task Raw_payloads_from_non_seekable_streams_are_hashed_the_same()
    {
        var store = await CreateStoreAsync();
        var bytes = new byte[300_000];
        new Random(7).NextBytes(bytes);

        var stored = await store.PutRawAsync(new ForwardOnlyStream(bytes));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(bytes.Length, stored.Length);
        await using var stream = await store.OpenRawAsync(stored.Sha256);
        var copy = new MemoryStream();
        await stream!.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task Reports_can_be_written_read_and_replaced()
    {
        var store = await CreateStoreAsync();

        await store.PutReportAsync("digests/2026-11-23.md", new MemoryStream("# Digest v1"u8.ToArray()));
        await store.PutReportAsync("digests/2026-11-23.md", new MemoryStream("# Digest v2"u8.ToArray()));

        await using var report = await store.OpenReportAsync("digests/2026-11-23.md");
        Assert.NotNull(report);
        Assert.Equal("# Digest v2", await new StreamReader(report).ReadToEndAsync());
    }

    [Theory]
    [InlineData("../escape.md")]
    [InlineData("digests/../../escape.md")]
    [InlineData("/etc/passwd")]
    [InlineData("digests/a b.md")]
    public async Task Report_names_that_could_leave_the_store_are_rejected(string name)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.PutReportAsync(name, new MemoryStream([1])));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenReportAsync(name));
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("..")]
    [InlineData("ABCDEF0123456789ABCDEF")]
    [InlineData("0123456789abcdef/../x")]
    public async Task Ids_kinds_and_hashes_that_are_not_well_formed_are_rejected(string bad)
    {
        var store = await CreateStoreAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => store.GetItemAsync(bad));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenItemAsync(bad));
        await Assert.ThrowsAsync<ArgumentException>(() => store.OpenRawAsync(bad));
        await Assert.ThrowsAsync<ArgumentException>(() => store.ReadIndexAsync(bad));
    }

    [Fact]
    public async Task An_unsealed_item_is_refused()
    {
        var store = await CreateStoreAsync();
        var item = TestItems.Document("ai-policy") with { Summary = "changed after sealing" };

        var ex = await Assert.ThrowsAsync<ArgumentException>(() => store.PutItemAsync(item));

        Assert.Contains("not sealed", ex.Message);
    }

    [Fact]
    public async Task A_malformed_stored_item_is_a_format_error_naming_its_path()
    {
        var store = await CreateStoreAsync();
        const string id = "0123456789abcdef0123456789abcdef";
        await WriteOutOfBandAsync(store, StoreLayout.ItemPath(id), "{ this is not an item"u8.ToArray());

        var ex = await Assert.ThrowsAsync<FormatException>(() => store.GetItemAsync(id));

        Assert.Contains(StoreLayout.ItemPath(id), ex.Message);
    }

    [Fact]
    public async Task Parallel_writers_lose_no_index_update_and_every_ledger_segment_verifies()
    {
        // Given eight writers (separate store objects: separate processes or instances) on one store
        const int writers = 8;
        const int itemsPerWriter = 12;
        var store = await CreateStoreAsync();
        var stores = Enumerable.Range(0, writers).Select(w => OpenSecondWriter(store, $"writer-{w}")).ToList();

        // When each writes its own subjects of the same kind at the same time
        await Task.WhenAll(stores.Select((writer, w) => Task.Run(async () =>
        {
            for (var i = 0; i < itemsPerWriter; i++)
            {
                await writer.PutItemAsync(TestItems.Document($"w{w}-doc{i}", TestItems.Monday.AddMinutes(i), jobId: $"job-{w}"));
            }
        })));

        // Then the one index holds every subject, and the ledger records every item once in valid chains
        var index = await store.ReadIndexAsync(EvidenceKinds.Document);
        Assert.Equal(writers * itemsPerWriter, index.Count);
        var ledger = await ToListAsync(store.ReadLedgerAsync());
        LedgerChains.AssertValid(ledger);
        Assert.Equal(writers * itemsPerWriter, ledger.Select(e => e.ItemId).Distinct().Count());
        Assert.Equal(writers * itemsPerWriter, ledger.Count);
        Assert.Equal(writers * itemsPerWriter, (await ToListAsync(store.ListItemIdsAsync())).Count);
    }

    /// <summary>A stream that can only be read forward, like a response body.</summary>
    private sealed class ForwardOnlyStream(byte[] content) : Stream
    {
        private int _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            // Short reads, as a network stream gives.
            var n = Math.Min(Math.Min(count, 7_919), content.Length - _position);
            Array.Copy(content, _position, buffer, offset, n);
            _position += n;
            return n;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
