using System.Text;
using Aims.Storage.Azure.Blobs;
using Aims.Testing;
using Azure.Core.Pipeline;

namespace Aims.Storage.Azure.Tests;

/// <summary>Listing edge cases the real service produces but Azurite rarely does, played by a local fake.</summary>
public sealed class BlobListingTests
{
    private static readonly StorageSharedKeyCredential Credential = new("devstoreaccount1", Convert.ToBase64String(new byte[32]));

    private static string Page(string marker, string nextMarker, params string[] names)
    {
        var blobs = string.Concat(names.Select(n =>
            $"<Blob><Name>{n}</Name><Properties><Creation-Time>Mon, 23 Nov 2026 02:00:00 GMT</Creation-Time><Last-Modified>Mon, 23 Nov 2026 02:00:00 GMT</Last-Modified><Etag>0x8DD{n.Length}</Etag><Content-Length>12</Content-Length><Content-Type>application/json</Content-Type><Content-Encoding /><BlobType>BlockBlob</BlobType><LeaseStatus>unlocked</LeaseStatus></Properties><Metadata /></Blob>"));
        return $"""<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="http://127.0.0.1/devstoreaccount1" ContainerName="evidence"><Prefix>items/</Prefix><Marker>{marker}</Marker><MaxResults>5000</MaxResults><Blobs>{blobs}</Blobs><NextMarker>{nextMarker}</NextMarker></EnumerationResults>""";
    }

    private static async Task<(LocalHttpServer Server, List<string> Markers)> ServeAsync(Func<string, string> pageFor)
    {
        var markers = new List<string>();
        var server = await LocalHttpServer.StartAsync(async context =>
        {
            var marker = context.Request.Query["marker"].ToString();
            lock (markers)
            {
                markers.Add(marker);
            }

            context.Response.ContentType = "application/xml";

            // The service may lead its XML with a UTF-8 byte order mark.
            var body = Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(pageFor(marker))).ToArray();
            await context.Response.Body.WriteAsync(body);
        });
        return (server, markers);
    }

    private static BlobContainerClient ClientFor(LocalHttpServer server) =>
        new(new Uri(server.BaseUri, "devstoreaccount1/evidence"), Credential, new BlobClientOptions { Transport = new HttpClientTransport(new SocketsHttpHandler()) });

    [Fact]
    public async Task An_empty_page_with_a_marker_does_not_end_the_listing()
    {
        // Given a first page with two blobs, an empty page that still has a marker, and a last page
        var (server, markers) = await ServeAsync(marker => marker switch
        {
            "" => Page("", "m1", "items/aa/1.json", "items/bb/2.json"),
            "m1" => Page("m1", "m2"),
            "m2" => Page("m2", "", "items/cc/3.json"),
            _ => throw new InvalidOperationException(marker),
        });
        await using var _ = server;

        // When listed
        var names = new List<string>();
        await foreach (var blob in ClientFor(server).GetBlobsAsync("items/"))
        {
            names.Add(blob.Name);
        }

        // Then all three blobs arrive and every marker was followed once
        Assert.Equal(new[] { "items/aa/1.json", "items/bb/2.json", "items/cc/3.json" }, names);
        Assert.Equal(new[] { "", "m1", "m2" }, markers);
    }

    [Fact]
    public async Task Properties_are_read_from_each_entry()
    {
        var (server, _) = await ServeAsync(_ => Page("", "", "items/aa/1.json"));
        await using var __ = server;

        var blob = await ClientFor(server).GetBlobsAsync().FirstAsync();

        Assert.Equal(12, blob.Properties.ContentLength);
        Assert.Equal("BlockBlob", blob.Properties.BlobType);
        Assert.Equal("application/json", blob.Properties.ContentType);
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero), blob.Properties.LastModified);
        Assert.Empty(blob.Metadata);
    }

    [Fact]
    public async Task A_repeated_marker_stops_the_listing_with_an_error_instead_of_looping()
    {
        var (server, _) = await ServeAsync(marker => Page(marker, "same", "items/aa/1.json"));
        await using var __ = server;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var unused in ClientFor(server).GetBlobsAsync())
            {
            }
        });

        Assert.Contains("'same' twice", ex.Message);
    }

    [Fact]
    public async Task Encoded_names_are_decoded()
    {
        var (server, _) = await ServeAsync(_ => Page("", "").Replace("<Blobs>", "<Blobs><Blob><Name Encoded=\"true\">reports%2Fa%01b.md</Name><Properties /></Blob>"));
        await using var __ = server;

        var blob = await ClientFor(server).GetBlobsAsync().FirstAsync();

        Assert.Equal("reports/a\u0001b.md", blob.Name);
    }

    [Fact]
    public async Task Malformed_xml_is_a_format_error()
    {
        var (server, _) = await ServeAsync(_ => "<EnumerationResults><Blobs><Blob><Name>x</Blobs>");
        await using var __ = server;

        await Assert.ThrowsAsync<FormatException>(async () => await ClientFor(server).GetBlobsAsync().FirstAsync());
    }
}
