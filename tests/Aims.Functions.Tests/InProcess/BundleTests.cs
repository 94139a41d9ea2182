using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Functions.Bundles;
using Aims.Functions.Functions;
using BundlesFunction = Aims.Functions.Functions.Bundles;
using Aims.Functions.Hosting;
using Aims.Functions.Tests.Infrastructure;
using Aims.Reporting.Verification;
using Aims.Testing.Azurite;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Functions.Tests.InProcess;

/// <summary>The bundle API in-process against Azurite: queued build, status, read-only links, their expiry, audit records.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BundleTests(AzuriteFixture azurite)
{
    private const string Body = """{"from": "2026-02-16", "to": "2026-12-31"}""";

    [Fact]
    public async Task A_bundle_request_is_queued_and_answered_202_with_its_status_url()
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite);

        var (status, body, http) = await CallAsync(app, "POST", null, Body);

        Assert.Equal(202, status);
        var id = body["id"]!.GetValue<string>();
        Assert.True(BundleId.IsValid(id));
        Assert.Equal($"/api/bundles/{id}", body["statusUrl"]!.GetValue<string>());
        Assert.Equal($"/api/bundles/{id}", http.Response.Headers.Location.ToString());
        var queued = Assert.Single(await app.DrainAsync(QueueNames.BundleBuilds));
        Assert.Equal(id, JsonNode.Parse(queued)!["bundleId"]!.GetValue<string>());
        var (getStatus, getBody, _) = await CallAsync(app, "GET", id, null);
        Assert.Equal(200, getStatus);
        Assert.Equal("queued", getBody["status"]!.GetValue<string>());
        Assert.Null(getBody["url"]);
    }

    [Theory]
    [InlineData("""{"from": "2026-13-01", "to": "2026-12-31"}""", "from")]
    [InlineData("""{"from": "2026-06-01", "to": "2026-01-01"}""", "to")]
    [InlineData("""{"from": "2026-01-01", "to": "2026-12-31", "controls": ["A.99"]}""", "controls")]
    [InlineData("""{"from": "2026-01-01", "to": "2026-12-31", "system": "no-such-system"}""", "system")]
    [InlineData("""[1, 2]""", "body")]
    public async Task A_bad_request_is_refused_naming_the_field_and_nothing_is_queued(string body, string field)
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite);

        var (status, answer, _) = await CallAsync(app, "POST", null, body);

        Assert.Equal(400, status);
        Assert.Equal(field, answer["field"]!.GetValue<string>());
        Assert.Empty(await app.DrainAsync(QueueNames.BundleBuilds));
    }

    [Fact]
    public async Task A_built_bundle_is_linked_read_only_its_download_audited_and_it_verifies()
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite);
        await CollectSampleAsync(app);
        var (_, created, _) = await CallAsync(app, "POST", null, Body);
        var id = created["id"]!.GetValue<string>();

        await app.Function<BuildBundle>().RunAsync(Assert.Single(await app.DrainAsync(QueueNames.BundleBuilds)), CancellationToken.None);
        var (status, body, _) = await CallAsync(app, "GET", id, null, key: "function-key-123");

        Assert.Equal(200, status);
        Assert.Equal("ready", body["status"]!.GetValue<string>());
        Assert.Equal(BundleLinks.ServiceSas, body["signing"]!.GetValue<string>());
        var url = new Uri(body["url"]!.GetValue<string>());
        Assert.Contains("sp=r", url.Query, StringComparison.Ordinal);
        using var http = new HttpClient();
        var zip = Path.Combine(app.Folder, "bundle.zip");
        await File.WriteAllBytesAsync(zip, await http.GetByteArrayAsync(url));
        Assert.True((await new BundleVerifier().VerifyAsync(zip)).IsIntact);

        // Read-only: the link cannot replace or delete the bundle.
        using var put = new HttpRequestMessage(HttpMethod.Put, url) { Content = new ByteArrayContent([1]) };
        put.Content.Headers.Add("x-ms-blob-type", "BlockBlob");
        Assert.Equal(HttpStatusCode.Forbidden, (await http.SendAsync(put)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await http.DeleteAsync(url)).StatusCode);

        var downloads = await ReportNamesAsync(app, "downloads/");
        var record = JsonNode.Parse((await StoreProbe.ReportTextAsync(app.Store, Assert.Single(downloads)))!)!;
        Assert.Equal(id, record["bundleId"]!.GetValue<string>());
        Assert.Equal(BundleLinks.ServiceSas, record["delivery"]!.GetValue<string>());
        Assert.NotEqual("function-key-123", record["functionKeyFingerprint"]!.GetValue<string>());
        Assert.Contains(app.Logs, l => l.Contains($"Audit: bundle {id} downloaded", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_bundle_link_stops_working_after_its_lifetime()
    {
        // The app's clock starts 16 minutes back: the first link is one handed out then (signed by the app's clock,
        // checked by the storage service's own).
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow - BundleLinks.Lifetime - TimeSpan.FromMinutes(1));
        await using var app = await FunctionsTestApp.CreateAsync(azurite, time: clock);
        var (_, created, _) = await CallAsync(app, "POST", null, Body);
        var id = created["id"]!.GetValue<string>();
        await app.Function<BuildBundle>().RunAsync(Assert.Single(await app.DrainAsync(QueueNames.BundleBuilds)), CancellationToken.None);
        using var http = new HttpClient();
        var (_, stale, _) = await CallAsync(app, "GET", id, null);

        clock.SetUtcNow(DateTimeOffset.UtcNow);
        var (_, fresh, _) = await CallAsync(app, "GET", id, null);

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync(stale["url"]!.GetValue<string>())).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync(fresh["url"]!.GetValue<string>())).StatusCode);
    }

    [Fact]
    public async Task An_unknown_or_malformed_bundle_id_is_answered_without_touching_storage_paths()
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite);

        Assert.Equal(400, (await CallAsync(app, "GET", "..%2F..%2Fitems", null)).Status);
        Assert.Equal(404, (await CallAsync(app, "GET", "bundle-20260101T000000Z-000000000000", null)).Status);
    }

    private static async Task CollectSampleAsync(FunctionsTestApp app)
    {
        var now = app.Pipeline.Time.GetUtcNow();
        await foreach (var job in app.Pipeline.PlanAsync(Aims.Pipeline.EvidencePipeline.RunIdFor(now), now))
        {
            await app.Pipeline.RunJobAsync(job);
        }
    }

    // Reports live in the store's state area (a container beside the evidence container), read through the store.
    private static Task<List<string>> ReportNamesAsync(FunctionsTestApp app, string prefix) => StoreProbe.ReportNamesAsync(app.Store, prefix);

    private static async Task<(int Status, JsonObject Body, HttpContext Http)> CallAsync(FunctionsTestApp app, string method, string? id, string? body, string? key = null)
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = id is null ? "/api/bundles" : $"/api/bundles/{id}";
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body ?? ""));
        if (key is not null)
        {
            http.Request.Headers["x-functions-key"] = key;
        }

        var result = await app.Function<BundlesFunction>().RunAsync(http.Request, id is null ? null : Uri.UnescapeDataString(id), CancellationToken.None);
        var content = Assert.IsType<ContentResult>(result);
        return (content.StatusCode!.Value, JsonNode.Parse(content.Content!)!.AsObject(), http);
    }
}
