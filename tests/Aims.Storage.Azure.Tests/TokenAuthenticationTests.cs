using Aims.Storage.Azure.Blobs;
using Aims.Storage.Azure.Queues;
using Aims.Testing;
using Azure.Core.Pipeline;

namespace Aims.Storage.Azure.Tests;

public sealed class TokenAuthenticationTests
{
    [Fact]
    public async Task Https_container_gets_a_bearer_token_for_the_storage_audience_and_the_pinned_version()
    {
        // Given an https fake of the Blob service
        var seen = new List<(string Authorization, string Version, string Path)>();
        await using var server = await LocalHttpServer.StartAsync(async context =>
        {
            lock (seen)
            {
                seen.Add((context.Request.Headers.Authorization.ToString(), context.Request.Headers["x-ms-version"].ToString(), context.Request.Path + context.Request.QueryString));
            }

            context.Response.StatusCode = 201;
            await context.Response.CompleteAsync();
        }, https: true);
        var credential = new FakeTokenCredential("token-for-storage");
        var options = new BlobClientOptions { Transport = new HttpClientTransport(server.CreateClientHandler()) };
        var client = new BlobContainerClient(new Uri(server.BaseUri, "evidence"), credential, options);

        // When the container is created
        Assert.True(await client.CreateIfNotExistsAsync());

        // Then the request carried the token, asked for the storage scope, and pinned the API version
        var request = Assert.Single(seen);
        Assert.Equal("Bearer token-for-storage", request.Authorization);
        Assert.Equal("2025-11-05", request.Version);
        Assert.Equal("/evidence?restype=container", request.Path);
        Assert.Equal(new[] { "https://storage.azure.com/.default" }, credential.Requests.Single());
    }

    [Fact]
    public void Plain_http_with_a_token_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BlobContainerClient(new Uri("http://127.0.0.1:10000/devstoreaccount1/evidence"), new FakeTokenCredential()));
        Assert.Contains("https", ex.Message);

        Assert.Throws<ArgumentException>(() => new QueueClient(new Uri("http://127.0.0.1:10001/devstoreaccount1/jobs"), new FakeTokenCredential()));
    }

    [Fact]
    public void Sas_urls_are_refused_without_echoing_the_signature()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BlobContainerClient(new Uri("https://contoso.blob.core.windows.net/evidence?sv=2025-11-05&sig=c2VjcmV0"), new FakeTokenCredential()));

        Assert.Contains("SAS", ex.Message);
        Assert.DoesNotContain("c2VjcmV0", ex.Message);
    }
}
