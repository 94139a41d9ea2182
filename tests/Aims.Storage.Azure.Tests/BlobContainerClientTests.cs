using System.Text;
using Aims.Storage.Azure.Blobs;
using Aims.Testing.Azurite;
using Azure;

namespace Aims.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class BlobContainerClientTests(AzuriteFixture azurite)
{
    private async Task<BlobContainerClient> NewContainerAsync(BlobClientOptions? options = null)
    {
        var client = new BlobContainerClient(azurite.ConnectionString, AzuriteFixture.UniqueName("blob"), options);
        Assert.True(await client.CreateIfNotExistsAsync());
        return client;
    }

    [Fact]
    public async Task Create_if_not_exists_reports_whether_it_created()
    {
        var client = new BlobContainerClient(azurite.ConnectionString, AzuriteFixture.UniqueName("blob"));

        Assert.True(await client.CreateIfNotExistsAsync());
        Assert.False(await client.CreateIfNotExistsAsync());
    }

    [Fact]
    public async Task Create_only_put_refuses_an_existing_blob_with_the_service_error_code()
    {
        var client = await NewContainerAsync();
        var createOnly = new BlobUploadOptions { Conditions = BlobRequestConditions.IfNotExists };
        await client.UploadAsync("items/ab/one.json", "first"u8.ToArray(), createOnly);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => client.UploadAsync("items/ab/one.json", "second"u8.ToArray(), createOnly));

        Assert.Contains(ex.Status, new[] { 409, 412 });
        Assert.Contains(ex.ErrorCode, new[] { "BlobAlreadyExists", "ConditionNotMet" });
        Assert.Equal("first", (await client.DownloadContentAsync("items/ab/one.json")).Value.Content.ToString());
    }

    [Fact]
    public async Task Conditional_put_succeeds_on_the_current_etag_and_fails_on_a_stale_one()
    {
        var client = await NewContainerAsync();
        var first = await client.UploadAsync("index/document.json", "v1"u8.ToArray());
        var second = await client.UploadAsync("index/document.json", "v2"u8.ToArray(), new BlobUploadOptions { Conditions = BlobRequestConditions.IfUnchanged(first.Value.ETag) });

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            client.UploadAsync("index/document.json", "v3"u8.ToArray(), new BlobUploadOptions { Conditions = BlobRequestConditions.IfUnchanged(first.Value.ETag) }));

        Assert.Equal(412, ex.Status);
        Assert.Equal("ConditionNotMet", ex.ErrorCode);
        var stored = await client.DownloadContentAsync("index/document.json");
        Assert.Equal("v2", stored.Value.Content.ToString());
        Assert.Equal(second.Value.ETag, stored.Value.Details.ETag);
    }

    [Fact]
    public async Task Missing_blob_is_a_404_with_BlobNotFound()
    {
        var client = await NewContainerAsync();

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => client.DownloadContentAsync("items/00/missing.json"));

        Assert.Equal(404, ex.Status);
        Assert.Equal("BlobNotFound", ex.ErrorCode);
    }

    [Fact]
    public async Task Large_stream_is_staged_in_blocks_and_reads_back_identically()
    {
        // Given a 64 KiB block size and a payload of several blocks plus a tail
        var client = await NewContainerAsync(new BlobClientOptions { BlockSize = 64 * 1024 });
        var payload = new byte[(64 * 1024 * 3) + 1234];
        new Random(42).NextBytes(payload);

        // When it is uploaded create-only from a stream
        await client.UploadAsync("raw/aa/large", new MemoryStream(payload), new BlobUploadOptions { Conditions = BlobRequestConditions.IfNotExists, ContentType = "application/octet-stream" });

        // Then it downloads (streamed) byte for byte, and a second create-only commit is refused
        var download = await client.DownloadStreamingAsync("raw/aa/large");
        await using (download.Value)
        {
            var copy = new MemoryStream();
            await download.Value.Content.CopyToAsync(copy);
            Assert.Equal(payload, copy.ToArray());
            Assert.Equal(payload.Length, download.Value.Details.ContentLength);
        }

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() =>
            client.UploadAsync("raw/aa/large", new MemoryStream(payload), new BlobUploadOptions { Conditions = BlobRequestConditions.IfNotExists }));
        Assert.Contains(ex.Status, new[] { 409, 412 });
    }

    [Fact]
    public async Task Range_download_returns_the_slice_and_the_whole_length()
    {
        var client = await NewContainerAsync();
        await client.UploadAsync("ledger/x.jsonl", "0123456789"u8.ToArray());

        var slice = await client.DownloadContentAsync("ledger/x.jsonl", new HttpRange(4, 3));

        Assert.Equal("456", slice.Value.Content.ToString());
        Assert.Equal(10, slice.Value.Details.ContentLength);
    }

    [Fact]
    public async Task Append_position_guards_against_a_second_append_at_the_same_offset()
    {
        var client = await NewContainerAsync();
        await client.CreateAppendBlobAsync("ledger/w1/000000.jsonl", new BlobUploadOptions { Conditions = BlobRequestConditions.IfNotExists });
        var first = await client.AppendBlockAsync("ledger/w1/000000.jsonl", "line-1\n"u8.ToArray(), appendPosition: 0);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => client.AppendBlockAsync("ledger/w1/000000.jsonl", "line-1\n"u8.ToArray(), appendPosition: 0));
        var second = await client.AppendBlockAsync("ledger/w1/000000.jsonl", "line-2\n"u8.ToArray(), appendPosition: 7);

        Assert.Equal(0, first.Value.AppendOffset);
        Assert.Equal(412, ex.Status);
        Assert.Equal("AppendPositionConditionNotMet", ex.ErrorCode);
        Assert.Equal(7, second.Value.AppendOffset);
        Assert.Equal(2, second.Value.CommittedBlockCount);
        var properties = await client.GetPropertiesAsync("ledger/w1/000000.jsonl");
        Assert.Equal("AppendBlob", properties.Value.BlobType);
        Assert.Equal(14, properties.Value.ContentLength);
        Assert.Equal("line-1\nline-2\n", (await client.DownloadContentAsync("ledger/w1/000000.jsonl")).Value.Content.ToString());
    }

    [Fact]
    public async Task Listing_follows_markers_page_by_page_with_metadata()
    {
        // Given five blobs under a prefix and one outside it
        var client = await NewContainerAsync();
        for (var i = 0; i < 5; i++)
        {
            await client.UploadAsync($"items/0{i}/item-{i}.json", Encoding.UTF8.GetBytes($"{i}"), new BlobUploadOptions { Metadata = new Dictionary<string, string> { ["kind"] = $"k{i}" } });
        }

        await client.UploadAsync("index/document.json", "{}"u8.ToArray());

        // When listed with pages of two
        var pages = new List<Page<BlobItem>>();
        await foreach (var page in client.GetBlobsAsync("items/", includeMetadata: true).AsPages(pageSizeHint: 2))
        {
            pages.Add(page);
        }

        // Then three pages hold the five blobs in name order, each with its metadata
        Assert.Equal(new[] { 2, 2, 1 }, pages.Select(p => p.Values.Count));
        Assert.Null(pages[^1].ContinuationToken);
        var items = pages.SelectMany(p => p.Values).ToList();
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"items/0{i}/item-{i}.json"), items.Select(b => b.Name));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"k{i}"), items.Select(b => b.Metadata["kind"]));
        Assert.All(items, b => Assert.Equal("BlockBlob", b.Properties.BlobType));
    }

    [Fact]
    public async Task Listing_a_missing_container_yields_nothing()
    {
        var client = new BlobContainerClient(azurite.ConnectionString, AzuriteFixture.UniqueName("absent"));

        var count = 0;
        await foreach (var unused in client.GetBlobsAsync())
        {
            count++;
        }

        Assert.Equal(0, count);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_by_the_service()
    {
        var wrong = new StorageSharedKeyCredential(AzuriteFixture.AccountName, Convert.ToBase64String(new byte[64]));
        var client = new BlobContainerClient(new Uri($"{azurite.BlobEndpoint}/{AzuriteFixture.UniqueName("wrongkey")}"), wrong);

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => client.CreateIfNotExistsAsync());

        Assert.Equal(403, ex.Status);
        Assert.Equal("AuthorizationFailure", ex.ErrorCode);
    }
}
