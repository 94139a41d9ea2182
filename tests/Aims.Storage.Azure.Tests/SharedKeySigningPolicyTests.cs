using Aims.Storage.Azure.Blobs;
using Aims.Testing;
using Azure.Core;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Storage.Azure.Tests;

public sealed class SharedKeySigningPolicyTests
{
    private const string DevKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private static readonly StorageSharedKeyCredential Credential = new("devstoreaccount1", DevKey);

    public sealed class BuildStringToSign
    {
        [Fact]
        public void Lists_standard_headers_then_sorted_x_ms_headers_then_the_path_style_resource_with_decoded_sorted_query()
        {
            // Given a create-only block upload to a path-style (Azurite) URL
            var rest = StorageRestPipeline.Create(new Uri("http://127.0.0.1:10000/devstoreaccount1/evidence"), new BlobClientOptions(), Credential, TimeProvider.System);
            using var message = rest.CreateMessage(RequestMethod.Put, "items/ab/ab12.json", ("comp", "block"), ("blockid", "MDA+/w=="));
            message.Request.Headers.SetValue("If-None-Match", "*");
            message.Request.Headers.SetValue("x-ms-date", "Mon, 23 Nov 2026 02:00:00 GMT");
            message.Request.Headers.SetValue("X-MS-Blob-Type", "BlockBlob");
            message.Request.Content = RequestContent.Create(new byte[5]);

            // When the string to sign is built
            var stringToSign = SharedKeySigningPolicy.BuildStringToSign(message.Request, "devstoreaccount1");

            // Then it follows the SharedKey layout
            Assert.Equal(
                "PUT\n\n\n5\n\n\n\n\n\n*\n\n\n"
                + "x-ms-blob-type:BlockBlob\nx-ms-date:Mon, 23 Nov 2026 02:00:00 GMT\nx-ms-version:2025-11-05\n"
                + "/devstoreaccount1/devstoreaccount1/evidence/items/ab/ab12.json\nblockid:MDA+/w==\ncomp:block",
                stringToSign);
        }

        [Fact]
        public void Leaves_content_length_empty_when_there_is_no_body()
        {
            var rest = StorageRestPipeline.Create(new Uri("https://contosoaims.blob.core.windows.net/evidence"), new BlobClientOptions(), Credential, TimeProvider.System);
            using var message = rest.CreateMessage(RequestMethod.Put, null, ("restype", "container"));
            message.Request.Content = RequestContent.Create(ReadOnlyMemory<byte>.Empty);

            var stringToSign = SharedKeySigningPolicy.BuildStringToSign(message.Request, "contosoaims");

            Assert.StartsWith("PUT\n\n\n\n", stringToSign);
            Assert.EndsWith("\n/contosoaims/evidence\nrestype:container", stringToSign);
        }
    }

    [Fact]
    public void Signature_is_base64_hmac_sha256_under_the_decoded_key()
    {
        // Known answer computed independently (Python hmac) for Azurite's well-known key.
        const string stringToSign = "GET\n\n\n\n\n\n\n\n\n\n\n\nx-ms-date:Mon, 23 Nov 2026 02:00:00 GMT\nx-ms-version:2025-11-05\n/devstoreaccount1/devstoreaccount1/evidence\ncomp:list\nrestype:container";

        Assert.Equal("v23nqF4DjmOT3y4jLxU5fRZGr7Uai5QwzpS8twqn+iU=", Credential.ComputeSignature(stringToSign));
    }

    [Fact]
    public async Task Every_retry_is_signed_again_with_a_fresh_date()
    {
        // Given a server that fails the first attempt, and a clock that moves between attempts
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero));
        var seen = new List<(string Date, string Authorization)>();
        await using var server = await LocalHttpServer.StartAsync(async context =>
        {
            lock (seen)
            {
                seen.Add((context.Request.Headers["x-ms-date"].ToString(), context.Request.Headers.Authorization.ToString()));
            }

            time.Advance(TimeSpan.FromSeconds(7));
            context.Response.StatusCode = seen.Count == 1 ? 503 : 201;
            context.Response.Headers.ETag = "\"0x1\"";
            await context.Response.CompleteAsync();
        });
        var options = new BlobClientOptions { TimeProvider = time };
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        var client = new BlobContainerClient(new Uri(server.BaseUri, "devstoreaccount1/evidence"), Credential, options);

        // When a write succeeds on its second attempt
        await client.UploadAsync("reports/a.json", new byte[] { 1, 2, 3 });

        // Then each attempt carried its own date and signature
        Assert.Equal(2, seen.Count);
        Assert.Equal("Mon, 23 Nov 2026 02:00:00 GMT", seen[0].Date);
        Assert.Equal("Mon, 23 Nov 2026 02:00:07 GMT", seen[1].Date);
        Assert.StartsWith("SharedKey devstoreaccount1:", seen[0].Authorization);
        Assert.NotEqual(seen[0].Authorization, seen[1].Authorization);
    }
}
