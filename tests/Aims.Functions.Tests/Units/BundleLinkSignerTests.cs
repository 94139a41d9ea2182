using System.Security.Cryptography;
using System.Text;
using System.Web;
using System.Xml.Linq;
using Aims.Evidence;
using Aims.Functions.Bundles;
using Aims.Functions.Tests.Infrastructure;
using Aims.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Functions.Tests.Units;

/// <summary>The user-delegation path, against a local HTTPS fake of the blob service (Azurite has no delegation keys).</summary>
public sealed class BundleLinkSignerTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 10, 0, 30, TimeSpan.Zero);
    private static readonly string DelegationKey = Convert.ToBase64String(Encoding.UTF8.GetBytes("a user delegation key for tests!"));

    [Fact]
    public async Task Signs_a_read_only_user_delegation_link_valid_for_at_most_fifteen_minutes()
    {
        await using var blob = await RecordingServer.StartAsync(BlobService(exists: true), https: true);
        using var http = new HttpClient(blob.Server.CreateClientHandler());
        var credential = new FakeTokenCredential("storage-token");
        var container = new Uri(blob.BaseUri, "evidence").AbsoluteUri;
        var signer = BundleLinkSigner.Create(container, container, () => credential, http, new FakeTimeProvider(Now));

        var link = await signer.CreateAsync("bundles/bundle-20261123T100000Z-0123456789ab.zip");

        Assert.NotNull(link);
        var query = HttpUtility.ParseQueryString(link.Url.Query);
        Assert.Equal("r", query["sp"]);
        Assert.Equal("b", query["sr"]);
        Assert.Equal("https", query["spr"]);
        Assert.Equal("2026-11-23T09:59:30Z", query["st"]);
        Assert.Equal("2026-11-23T10:14:30Z", query["se"]);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 10, 14, 30, TimeSpan.Zero), link.ExpiresOn);
        Assert.True(link.ExpiresOn - Now <= TimeSpan.FromMinutes(15));
        Assert.Equal("0f3c6a52-0000-4000-8000-000000000001", query["skoid"]);
        Assert.Equal("/evidence/reports/bundles/bundle-20261123T100000Z-0123456789ab.zip", link.Url.AbsolutePath);

        // The string to sign of a user-delegation SAS (version 2022-11-02), field by field.
        var stringToSign = string.Join('\n',
            "r", "2026-11-23T09:59:30Z", "2026-11-23T10:14:30Z", "/blob/127/evidence/reports/bundles/bundle-20261123T100000Z-0123456789ab.zip",
            "0f3c6a52-0000-4000-8000-000000000001", "72f988bf-0000-4000-8000-000000000002", "2026-11-23T09:59:30Z", "2026-11-23T10:14:30Z", "b", "2022-11-02",
            "", "", "", "", "https", "2022-11-02", "b", "", "", "", "", "", "", "");
        var expected = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(DelegationKey), Encoding.UTF8.GetBytes(stringToSign)));
        Assert.Equal(expected, query["sig"]);

        var keyRequest = Assert.Single(blob.Requests, r => r.Method == "POST");
        Assert.Equal("/?restype=service&comp=userdelegationkey", keyRequest.PathAndQuery);
        Assert.Equal("Bearer storage-token", keyRequest.Authorization);
        Assert.Contains(credential.Requests, s => s.SequenceEqual(["https://storage.azure.com/.default"]));
        var keyInfo = XDocument.Parse(keyRequest.Body).Root!;
        Assert.Equal("2026-11-23T10:14:30Z", keyInfo.Element("Expiry")!.Value);
        Assert.Single(blob.Requests, r => r.Method == "HEAD");
    }

    [Fact]
    public async Task Answers_null_when_the_bundle_does_not_exist()
    {
        await using var blob = await RecordingServer.StartAsync(BlobService(exists: false), https: true);
        using var http = new HttpClient(blob.Server.CreateClientHandler());
        var container = new Uri(blob.BaseUri, "evidence").AbsoluteUri;
        var signer = BundleLinkSigner.Create(container, container, () => new FakeTokenCredential(), http, new FakeTimeProvider(Now));

        Assert.Null(await signer.CreateAsync("bundles/bundle-20261123T100000Z-0123456789ab.zip"));
    }

    [Fact]
    public void A_folder_store_cannot_sign_links()
    {
        using var http = new HttpClient();

        var error = Assert.Throws<InvalidSettingException>(() => BundleLinkSigner.Create("store", "/tmp/store", () => new FakeTokenCredential(), http, TimeProvider.System));

        Assert.Equal("Aims:Bundles:SasLinks", error.Setting);
    }

    private static Func<RecordedRequest, HttpResponse, Task> BlobService(bool exists) => (request, response) =>
    {
        if (request.Method == "POST")
        {
            response.ContentType = "application/xml";
            return response.WriteAsync($"""
                <?xml version="1.0" encoding="utf-8"?>
                <UserDelegationKey><SignedOid>0f3c6a52-0000-4000-8000-000000000001</SignedOid><SignedTid>72f988bf-0000-4000-8000-000000000002</SignedTid><SignedStart>2026-11-23T09:59:30Z</SignedStart><SignedExpiry>2026-11-23T10:14:30Z</SignedExpiry><SignedService>b</SignedService><SignedVersion>2022-11-02</SignedVersion><Value>{DelegationKey}</Value></UserDelegationKey>
                """);
        }

        response.StatusCode = exists ? 200 : 404;
        return Task.CompletedTask;
    };
}
