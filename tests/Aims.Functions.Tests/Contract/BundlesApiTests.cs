using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Functions.Tests.Infrastructure;

using Aims.Testing.Azurite;

namespace Aims.Functions.Tests.Contract;

/// <summary>
/// The Bundles HTTP function, proxied by the host (enableProxyingHttpRequest) as the plain request it received on
/// /api/bundles, with the function key and App Service Authentication headers it forwards.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BundlesApiTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task Builds_a_bundle_into_the_store_and_streams_it_back()
    {
        await using var host = await StartCollectedAsync(azurite);

        using var created = await PostAsync(host, """{"from":"2026-02-16","to":"2026-11-23","controls":["A.2.2"]}""");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        var id = body["id"]!.GetValue<string>();
        Assert.Matches("^bundle-20261123T093000Z-[0-9a-f]{12}$", id);
        Assert.Equal($"/api/bundles/{id}", body["location"]!.GetValue<string>());
        Assert.NotNull(await host.Runtime.Store.OpenReportAsync($"bundles/{id}.zip"));
        var record = JsonNode.Parse((await StoreProbe.ReportTextAsync(host.Runtime.Store, $"bundles/{id}.json"))!)!;
        Assert.Equal(["A.2.2"], record["controls"]!.AsArray().Select(c => c!.GetValue<string>()));

        using var download = await GetAsync(host, id);

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"{id}.zip", download.Content.Headers.ContentDisposition!.FileNameStar ?? download.Content.Headers.ContentDisposition.FileName);
        await using var zipStream = await download.Content.ReadAsStreamAsync();
        using var zip = new ZipArchive(zipStream, ZipArchiveMode.Read);
        Assert.Contains(zip.Entries, e => e.FullName == "manifest.json");
        Assert.Contains(zip.Entries, e => e.FullName == "SHA256SUMS");
    }

    [Fact]
    public async Task Records_who_downloaded_which_bundle_and_when_without_the_key()
    {
        await using var host = await StartCollectedAsync(azurite);
        using var created = await PostAsync(host, """{"from":"2026-02-16","to":"2026-11-23"}""");
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        host.Time.Advance(TimeSpan.FromMinutes(5));

        using var download = await GetAsync(host, id, principal: "auditor@fabrikam-audit.example", key: "secret-function-key-value");

        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        var records = await DownloadRecordsAsync(host);
        var record = Assert.Single(records);
        Assert.Equal(id, record["bundleId"]!.GetValue<string>());
        Assert.Equal("stream", record["delivery"]!.GetValue<string>());
        Assert.Equal("2026-11-23T09:35:00.000Z", record["at"]!.GetValue<string>());
        Assert.Equal("auditor@fabrikam-audit.example", record["principal"]!["name"]!.GetValue<string>());
        Assert.Equal(12, record["functionKeyFingerprint"]!.GetValue<string>().Length);
        Assert.DoesNotContain("secret-function-key-value", record.ToJsonString());
    }

    [Fact]
    public async Task Answers_a_read_only_link_valid_for_at_most_fifteen_minutes_when_links_are_on()
    {
        // Azurite checks a link's start and expiry against its own clock, so this handler runs on the real one.
        var now = DateTimeOffset.UtcNow;
        await using var host = await StartCollectedAsync(azurite, new Dictionary<string, string?> { ["Aims:Bundles:SasLinks"] = "true" }, now);
        using var created = await PostAsync(host, """{"from":"2026-02-16","to":"2026-11-23"}""");
        var id = JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();

        using var answer = await GetAsync(host, id, principal: "auditor@fabrikam-audit.example");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        var link = JsonNode.Parse(await answer.Content.ReadAsStringAsync())!;
        var url = new Uri(link["url"]!.GetValue<string>());
        var expiresOn = DateTimeOffset.Parse(link["expiresOn"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(expiresOn - now <= TimeSpan.FromMinutes(15));
        Assert.Contains("sp=r", url.Query, StringComparison.Ordinal);
        using var anonymous = new HttpClient();
        var zip = await anonymous.GetByteArrayAsync(url);
        Assert.Equal("PK"u8.ToArray(), zip[..2]);
        using var overwrite = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent([1, 2, 3]) };
        overwrite.Headers.Add("x-ms-blob-type", "BlockBlob");
        using var refused = await anonymous.SendAsync(overwrite);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        var record = Assert.Single(await DownloadRecordsAsync(host));
        Assert.Equal("sas-link", record["delivery"]!.GetValue<string>());
        Assert.Equal("auditor@fabrikam-audit.example", record["principal"]!["name"]!.GetValue<string>());
        Assert.NotNull(record["linkExpiresOn"]);
    }

    [Theory]
    [InlineData("""{"to":"2026-11-23"}""", "from")]
    [InlineData("""{"from":"2026-02-30","to":"2026-11-23"}""", "from")]
    [InlineData("""{"from":"2026-11-23","to":"2026-02-16"}""", "to")]
    [InlineData("""{"from":"2026-02-16","to":"2026-11-23","controls":["A.2.2","Z.9"]}""", "controls")]
    [InlineData("""{"from":"2026-02-16","to":"2026-11-23","system":"a/b"}""", "system")]
    [InlineData("not json", "body")]
    public async Task Refuses_a_bad_request_with_400_naming_the_field(string json, string field)
    {
        await using var host = await HandlerHost.StartAsync(now: Now, azurite: azurite);

        using var response = await PostAsync(host, json);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(field, error["field"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["error"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("..%2F..%2Fledger%2Flocal.jsonl")]
    [InlineData("bundle-20261123T093000Z-0123456789ab.zip")]
    [InlineData("BUNDLE-20261123T093000Z-0123456789ab")]
    public async Task Refuses_an_id_that_is_not_a_bundle_id(string id)
    {
        await using var host = await HandlerHost.StartAsync(now: Now, azurite: azurite);

        using var response = await GetAsync(host, id);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("id", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["field"]!.GetValue<string>());
        Assert.Empty(await DownloadRecordsAsync(host));
    }

    [Fact]
    public async Task Answers_404_for_a_bundle_that_was_never_built()
    {
        await using var host = await HandlerHost.StartAsync(now: Now, azurite: azurite);

        using var response = await GetAsync(host, "bundle-20261123T093000Z-0123456789ab");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(await DownloadRecordsAsync(host));
    }

    internal static async Task<HandlerHost> StartCollectedAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null, DateTimeOffset? now = null)
    {
        var host = await HandlerHost.StartAsync(settings, now: now ?? Now, azurite: azurite);
        var plan = await host.InvokeAsync("ScheduleCollection", HostPayloads.Timer("ScheduleCollection", now ?? Now));
        foreach (var job in (JsonArray)plan.Outputs["jobs"]!)
        {
            await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", job!.ToJsonString(), 1, job["jobId"]!.GetValue<string>(), now ?? Now));
        }

        return host;
    }

    internal static Task<HttpResponseMessage> PostAsync(HandlerHost host, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "api/bundles") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-functions-key", "auditor-key");
        request.Headers.Add("x-ms-client-principal-name", "lead@contoso.example");
        return host.Client.SendAsync(request);
    }

    internal static Task<HttpResponseMessage> GetAsync(HandlerHost host, string id, string? principal = null, string? key = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, $"api/bundles/{id}");
        if (principal is not null)
        {
            request.Headers.Add("x-ms-client-principal-name", principal);
        }

        if (key is not null)
        {
            request.Headers.Add("x-functions-key", key);
        }

        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("auditor-tool", "1.0"));
        return host.Client.SendAsync(request);
    }

    internal static async Task<List<JsonNode>> DownloadRecordsAsync(HandlerHost host)
    {
        var records = new List<JsonNode>();
        foreach (var name in await StoreProbe.ReportNamesAsync(host.Runtime.Store, "downloads/"))
        {
            Assert.Matches(@"^downloads/\d{4}/\d{2}/\d{2}/\d{9}-bundle-.*\.json$", name);
            records.Add(JsonNode.Parse((await StoreProbe.ReportTextAsync(host.Runtime.Store, name))!)!);
        }

        return records;
    }
}
