using Aims.Testing;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;

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
        var options = StorageClientDefaults.BlobOptions();
        options.Transport = new HttpClientTransport(server.CreateClientHandler());
        var client = new BlobContainerClient(new Uri(server.BaseUri, "evidence"), credential, options);

        // When the container is created
        await client.CreateIfNotExistsAsync();

        // Then the request carried the token, asked for the storage scope, and pinned the version Azurite speaks
        var request = Assert.Single(seen);
        Assert.Equal("Bearer token-for-storage", request.Authorization);
        Assert.Equal("2026-06-06", request.Version);
        Assert.Equal("/evidence?restype=container", request.Path);
        Assert.Contains("https://storage.azure.com/.default", credential.Requests.Single());
    }

    [Fact]
    public void Plain_http_with_a_token_is_refused_before_anything_is_sent()
    {
        var ex = Assert.Throws<ArgumentException>(() => new BlobContainerClient(new Uri("http://127.0.0.1:9/devstoreaccount1/evidence"), new FakeTokenCredential(), StorageClientDefaults.BlobOptions()));

        Assert.Contains("HTTPS", ex.Message);
    }
}
