using System.Security.Cryptography;
using Aims.Evidence;
using Aims.Storage.Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Aims.Testing.Azurite;

namespace Aims.Storage.Tests;

/// <summary>What the Blob store does beyond the shared contract: ledger parts and segments, payload size, lazy container.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureBlobEvidenceStoreTests(AzuriteFixture azurite)
{
    private AzureBlobEvidenceStore Store(string container, string writer, int maxBlocksPerPart = 49_000, BlobClientOptions? options = null) =>
        EvidenceStores.OpenAzure(azurite.ConnectionString, container, new AzureBlobEvidenceStoreOptions { WriterId = writer, MaxLedgerBlocksPerPart = maxBlocksPerPart, ClientOptions = options });

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
    public async Task A_segment_continues_its_chain_across_parts_and_across_restarts()
    {
        // Given a writer whose ledger parts hold three appends each
        var container = AzuriteFixture.UniqueName("parts");
        var store = Store(container, "collector-1", maxBlocksPerPart: 3);

        // When it writes seven items, and then a new process with the same writer id writes two more
        for (var i = 0; i < 7; i++)
        {
            await store.PutItemAsync(TestItems.Document($"doc-{i}"));
        }

        var restarted = Store(container, "collector-1", maxBlocksPerPart: 3);
        await restarted.PutItemAsync(TestItems.Document("doc-7"));
        await restarted.PutItemAsync(TestItems.Document("doc-8"));

        // Then the segment spans four parts and is one unbroken chain, sequence 1..9
        var parts = await ToListAsync(store.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = "ledger/" }));
        Assert.Equal(new[] { "ledger/collector-1/000000.jsonl", "ledger/collector-1/000001.jsonl", "ledger/collector-1/000002.jsonl" }, parts.Take(3).Select(p => p.Name));
        Assert.All(parts, p => Assert.Equal(BlobType.Append, p.Properties.BlobType));
        var ledger = await ToListAsync(store.ReadLedgerAsync());
        LedgerChains.AssertValid(ledger);
        Assert.Equal(Enumerable.Range(1, 9).Select(i => (long)i), ledger.Select(e => e.Sequence));
        Assert.All(ledger, e => Assert.Equal("collector-1", e.Segment));
    }

    [Fact]
    public async Task Ledger_heads_of_multi_part_segments_equal_a_full_scan_even_with_an_empty_newest_part()
    {
        // Given two writers whose parts hold two appends each (several parts per segment)
        var container = AzuriteFixture.UniqueName("heads");
        var first = Store(container, "collector-1", maxBlocksPerPart: 2);
        var second = Store(container, "collector-2", maxBlocksPerPart: 2);
        for (var i = 0; i < 9; i++)
        {
            await (i % 3 == 0 ? second : first).PutItemAsync(TestItems.Document($"doc-{i}"));
        }

        // and a newest part created just before a crash, still empty
        await first.Container.GetAppendBlobClient("ledger/collector-1/000009.jsonl").CreateAsync();

        // When the heads are read from the parts' ends
        var heads = await first.ReadLedgerHeadsAsync();

        // Then they are what a full scan finds: collector-1 at sequence 6 over three parts, collector-2 at 3 over two
        var parts = await ToListAsync(first.Container.GetBlobsAsync(new GetBlobsOptions { Prefix = "ledger/collector-1/" }));
        Assert.Equal(4, parts.Count);
        Assert.Equal(LedgerChains.HeadsByFullScan(await ToListAsync(first.ReadLedgerAsync())), heads);
        Assert.Equal(new[] { ("collector-1", 6L), ("collector-2", 3L) }, heads.Select(h => (h.Segment, h.Sequence)));
    }

    [Fact]
    public async Task Two_writers_sharing_a_writer_id_by_mistake_still_keep_one_valid_chain()
    {
        var container = AzuriteFixture.UniqueName("shared");
        var first = Store(container, "same-writer");
        var second = Store(container, "same-writer");

        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 0; i < 15; i++)
                {
                    await first.PutItemAsync(TestItems.Document($"a-{i}"));
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 0; i < 15; i++)
                {
                    await second.PutItemAsync(TestItems.Document($"b-{i}"));
                }
            }));

        var ledger = await ToListAsync(first.ReadLedgerAsync());
        LedgerChains.AssertValid(ledger);
        Assert.Equal(30, ledger.Count);
        Assert.Equal(30, ledger.Select(e => e.ItemId).Distinct().Count());
        Assert.Equal(30, (await first.ReadIndexAsync(EvidenceKinds.Document)).Count);
    }

    [Fact]
    public async Task Each_writer_gets_its_own_segment_named_after_its_writer_id()
    {
        var container = AzuriteFixture.UniqueName("segments");
        await Store(container, "Functions Instance #1").PutItemAsync(TestItems.Document("a"));
        await Store(container, "cli-laptop").PutItemAsync(TestItems.Document("b"));

        var parts = await ToListAsync(Store(container, "reader").Container.GetBlobsAsync(new GetBlobsOptions { Prefix = "ledger/" }));

        Assert.Equal(new[] { "ledger/cli-laptop/000000.jsonl", "ledger/functions-instance-1/000000.jsonl" }, parts.Select(p => p.Name));
    }

    [Fact]
    public async Task Items_keep_the_folder_store_names_and_content_types()
    {
        var container = AzuriteFixture.UniqueName("layout");
        var store = Store(container, "w");
        var item = TestItems.Document("ai-policy");
        var raw = await store.PutRawAsync(new MemoryStream("policy"u8.ToArray()));

        await store.PutItemAsync(item);

        var names = (await ToListAsync(store.Container.GetBlobsAsync(new GetBlobsOptions()))).ToDictionary(b => b.Name, b => b.Properties.ContentType);
        Assert.Equal("application/json", names[StoreLayout.ItemPath(item.Id)]);
        Assert.Equal("application/octet-stream", names[StoreLayout.RawPath(raw.Sha256)]);
        Assert.Equal("application/x-ndjson", names["ledger/w/000000.jsonl"]);
    }

    [Fact]
    public async Task A_200_MB_payload_goes_up_and_comes_back_with_bounded_memory()
    {
        // Given a 200 MB payload from a forward-only stream (it cannot be rewound, so it is spooled to disk to hash)
        const long size = 200L * 1024 * 1024;
        var container = AzuriteFixture.UniqueName("large");
        var store = Store(container, "w");
        var expected = Convert.ToHexStringLower(await SHA256.HashDataAsync(new GeneratedStream(size, seed: 11)));
        GC.Collect();
        GC.WaitForPendingFinalizers();

        try
        {
            // When it is stored
            var beforeUpload = GC.GetTotalAllocatedBytes(precise: true);
            var stored = await store.PutRawAsync(new GeneratedStream(size, seed: 11));
            var uploadAllocated = GC.GetTotalAllocatedBytes(precise: true) - beforeUpload;

            // And read back
            var beforeDownload = GC.GetTotalAllocatedBytes(precise: true);
            string downloaded;
            long length = 0;
            await using (var stream = await store.OpenRawAsync(stored.Sha256))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await stream!.ReadAsync(buffer)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    length += read;
                }

                downloaded = Convert.ToHexStringLower(hash.GetHashAndReset());
            }

            var downloadAllocated = GC.GetTotalAllocatedBytes(precise: true) - beforeDownload;

            // Then the bytes are intact both ways, and neither direction allocated anything near the payload's size
            Assert.Equal(expected, stored.Sha256);
            Assert.Equal(size, stored.Length);
            Assert.Equal(expected, downloaded);
            Assert.Equal(size, length);
            Assert.True(uploadAllocated < 32 * 1024 * 1024, $"Upload allocated {uploadAllocated / (1024 * 1024)} MB for a 200 MB payload.");
            Assert.True(downloadAllocated < 32 * 1024 * 1024, $"Download allocated {downloadAllocated / (1024 * 1024)} MB for a 200 MB payload.");
        }
        finally
        {
            await store.Container.DeleteIfExistsAsync();
        }
    }

    /// <summary>A forward-only stream of pseudo-random bytes, generated as it is read.</summary>
    private sealed class GeneratedStream(long length, ulong seed) : Stream
    {
        private ulong _state = seed * 0x9E3779B97F4A7C15UL;
        private long _position;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            // Whole 8-byte words only (except at the very end), so every reader sees the same byte sequence.
            var n = (int)Math.Min(buffer.Length & ~7, length - _position);
            if (n == 0 && buffer.Length > 0 && _position < length)
            {
                n = (int)Math.Min(buffer.Length, length - _position);
            }

            Span<byte> word = stackalloc byte[8];
            for (var i = 0; i < n; i += 8)
            {
                // xorshift64: cheap, deterministic bytes.
                _state ^= _state << 13;
                _state ^= _state >> 7;
                _state ^= _state << 17;
                System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(word, _state);
                word[..Math.Min(8, n - i)].CopyTo(buffer[i..]);
            }

            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
