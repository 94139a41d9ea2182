using System.Security.Cryptography;
using System.Text;
using Aims.Collectors.Http;
using Aims.Storage;
using Aims.Testing;

namespace Aims.Collectors.Tests.Http;

public sealed class EvidenceStoreResponseCacheTests
{
    private static readonly Uri Url = new("https://api.github.com/repos/contoso/fraud-model?per_page=100");

    [Fact]
    public async Task Stores_etag_body_and_link_under_the_sha256_of_the_url()
    {
        using var temp = new TempDirectory();
        var store = new FolderEvidenceStore(temp.Path);
        var cache = new EvidenceStoreResponseCache(store);
        var body = Encoding.UTF8.GetBytes("{\"name\":\"fraud-model\",\"note\":\"ünïcode\"}");

        await cache.PutAsync("GitHub", Url, new CachedResponse("W/\"e1\"", body, "<https://api.github.com/x?page=2>; rel=\"next\""));
        var read = await cache.GetAsync("GitHub", Url);

        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Url.AbsoluteUri)));
        Assert.True(File.Exists(Path.Combine(temp.Path, "reports", "http-cache", "GitHub", hash[..2], $"{hash}.entry")));
        Assert.Equal("W/\"e1\"", read!.ETag);
        Assert.Equal(body, read.Body.ToArray());
        Assert.Equal("<https://api.github.com/x?page=2>; rel=\"next\"", read.Link);
    }

    [Fact]
    public async Task Does_not_keep_a_body_that_looks_like_it_holds_a_credential()
    {
        using var temp = new TempDirectory();
        var cache = new EvidenceStoreResponseCache(new FolderEvidenceStore(temp.Path));
        var body = Encoding.UTF8.GetBytes("{\"token\":\"ghs_16C7e42F292c6912E7710c838347Ae178B4a\"}");

        await cache.PutAsync("GitHub", Url, new CachedResponse("\"e1\"", body, null));

        Assert.Null(await cache.GetAsync("GitHub", Url));
        Assert.False(Directory.Exists(Path.Combine(temp.Path, "reports", "http-cache")));
    }

    [Fact]
    public async Task A_damaged_entry_reads_as_a_miss()
    {
        using var temp = new TempDirectory();
        var store = new FolderEvidenceStore(temp.Path);
        var cache = new EvidenceStoreResponseCache(store);
        await store.PutReportAsync(EvidenceStoreResponseCache.ReportName("GitHub", Url), new MemoryStream("{not json"u8.ToArray()));

        Assert.Null(await cache.GetAsync("GitHub", Url));
    }

    [Theory]
    [InlineData("{\"format\":2,\"url\":\"https://api.github.com/repos/contoso/fraud-model?per_page=100\",\"etag\":\"e1\",\"length\":99}\n[]")]
    [InlineData("{\"format\":1,\"url\":\"https://api.github.com/repos/contoso/fraud-model?per_page=100\",\"etag\":\"e1\",\"length\":2}\n[]")]
    [InlineData("{\"format\":2,\"url\":\"https://api.github.com/other\",\"etag\":\"e1\",\"length\":2}\n[]")]
    [InlineData("{\"format\":2,\"url\":\"https://api.github.com/repos/contoso/fraud-model?per_page=100\",\"length\":2}\n[]")]
    [InlineData("[]")]
    public async Task A_truncated_foreign_or_incomplete_entry_reads_as_a_miss(string entry)
    {
        using var temp = new TempDirectory();
        var store = new FolderEvidenceStore(temp.Path);
        await store.PutReportAsync(EvidenceStoreResponseCache.ReportName("GitHub", Url), new MemoryStream(Encoding.UTF8.GetBytes(entry)));

        Assert.Null(await new EvidenceStoreResponseCache(store).GetAsync("GitHub", Url));
    }

    [Fact]
    public async Task The_body_is_kept_byte_for_byte_after_a_one_line_header()
    {
        using var temp = new TempDirectory();
        var cache = new EvidenceStoreResponseCache(new FolderEvidenceStore(temp.Path));
        var body = Encoding.UTF8.GetBytes("[{\"title\":\"line one\\nline two\",\"note\":\"quote \\\" and ünïcode\"}]\n");

        await cache.PutAsync("GitHub", Url, new CachedResponse("W/\"e2\"", body, null));
        var read = await cache.GetAsync("GitHub", Url);

        Assert.Equal(body, read!.Body.ToArray());
        Assert.Null(read.Link);
    }

    [Fact]
    public async Task Keeps_sources_apart()
    {
        using var temp = new TempDirectory();
        var cache = new EvidenceStoreResponseCache(new FolderEvidenceStore(temp.Path));
        await cache.PutAsync("GitHub", Url, new CachedResponse("\"e1\"", "[]"u8.ToArray(), null));

        Assert.Null(await cache.GetAsync("Jira", Url));
        Assert.Throws<ArgumentException>(() => EvidenceStoreResponseCache.ReportName("../evil", Url));
    }
}
