using System.Collections.Concurrent;
using Aims.Functions.Bundles;
using Aims.Pipeline.Hosting;
using Aims.Testing;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Functions.Tests.Units;

/// <summary>
/// User-delegation links against a local HTTPS fake of the Blob service's Get User Delegation Key (Azurite refuses
/// delegation keys under SharedKey, so the key exchange is played here with the documented response shape).
/// </summary>
public sealed class BundleLinksTests
{
    [Fact]
    public async Task One_delegation_key_signs_every_link_until_it_nears_its_expiry()
    {
        var requests = new ConcurrentQueue<string>();
        await using var service = await LocalHttpServer.StartAsync(async context =>
        {
            requests.Enqueue($"{context.Request.Method} {context.Request.Path}{context.Request.QueryString} {context.Request.Headers.Authorization}");
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var expiry = System.Xml.Linq.XDocument.Parse(body).Root!.Element("Expiry")!.Value;
            context.Response.ContentType = "application/xml";
            await context.Response.WriteAsync(
                $"<?xml version=\"1.0\" encoding=\"utf-8\"?><UserDelegationKey><SignedOid>11111111-2222-3333-4444-555555555555</SignedOid>" +
                $"<SignedTid>66666666-7777-8888-9999-000000000000</SignedTid><SignedStart>2026-12-01T00:00:00Z</SignedStart><SignedExpiry>{expiry}</SignedExpiry>" +
                "<SignedService>b</SignedService><SignedVersion>2026-06-06</SignedVersion><Value>c2lnbmluZy1rZXktZm9yLXRlc3RzLW9ubHktMzItYnl0ZXM=</Value></UserDelegationKey>");
        }, https: true);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 9, 0, 0, TimeSpan.Zero));
        var options = new BlobClientOptions { Transport = new HttpClientTransport(new HttpClient(service.CreateClientHandler())) };
        var links = BundleLinks.Create($"{service.BaseUri}devstoreaccount1/evidence", new AzureCredentials(new FakeTokenCredential(), null), clock, NullLogger.Instance, options);

        var first = await links.CreateAsync("bundles/a.zip", CancellationToken.None);
        clock.Advance(TimeSpan.FromHours(5));
        var second = await links.CreateAsync("bundles/b.zip", CancellationToken.None);

        Assert.Equal(1, links.KeysFetched);
        Assert.Equal(BundleLinks.UserDelegation, first.Signing);
        Assert.Contains("skoid=11111111-2222-3333-4444-555555555555", first.Url.Query, StringComparison.Ordinal);
        Assert.Contains("sp=r", second.Url.Query, StringComparison.Ordinal);
        Assert.Equal(clock.GetUtcNow() + BundleLinks.Lifetime, second.ExpiresOn);
        Assert.All(requests, r => Assert.Contains("comp=userdelegationkey", r, StringComparison.Ordinal));
        Assert.All(requests, r => Assert.Contains("Bearer fake-test-token", r, StringComparison.Ordinal));

        // Less than a link's lifetime left on the key: a new key, so no link outlives the key that signed it.
        clock.Advance(TimeSpan.FromMinutes(50));
        await links.CreateAsync("bundles/c.zip", CancellationToken.None);
        Assert.Equal(2, links.KeysFetched);
    }

    [Fact]
    public void A_folder_store_has_no_links()
    {
        var links = BundleLinks.Create("/var/aims/store", new AzureCredentials(new FakeTokenCredential(), null), TimeProvider.System, NullLogger.Instance);

        Assert.False(links.Available);
    }
}
