using System.Diagnostics.Tracing;
using Aims.Testing.Azurite;
using Azure;
using Azure.Core;
using Azure.Core.Diagnostics;
using Azure.Storage.Blobs;

namespace Aims.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class StorageDiagnosticsTests(AzuriteFixture azurite)
{
    [Fact]
    public void Logged_headers_are_an_allow_list_without_authorization()
    {
        var options = StorageClientDefaults.BlobOptions();

        Assert.DoesNotContain("Authorization", options.Diagnostics.LoggedHeaderNames, StringComparer.OrdinalIgnoreCase);
        Assert.Contains("x-ms-error-code", options.Diagnostics.LoggedHeaderNames);
        Assert.Contains("x-ms-version", options.Diagnostics.LoggedHeaderNames);
        Assert.DoesNotContain("popreceipt", options.Diagnostics.LoggedQueryParameters);
    }

    [Fact]
    public void Retries_are_exponential_with_a_per_try_timeout()
    {
        var options = StorageClientDefaults.BlobOptions();

        Assert.Equal(RetryMode.Exponential, options.Retry.Mode);
        Assert.Equal(5, options.Retry.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Retry.NetworkTimeout);
    }

    [Fact]
    public async Task Verbose_logs_show_requests_but_never_the_signature_or_key()
    {
        // Given Azure.Core's verbose logging switched on
        var lines = new List<string>();
        using (new AzureEventSourceListener((e, message) =>
        {
            lock (lines)
            {
                lines.Add(message);
            }
        }, EventLevel.Verbose))
        {
            // When a signed request is sent and fails
            var client = new BlobContainerClient(azurite.ConnectionString, AzuriteFixture.UniqueName("logs"), StorageClientDefaults.BlobOptions());
            await client.CreateIfNotExistsAsync();
            await Assert.ThrowsAsync<RequestFailedException>(() => client.GetBlobClient("items/00/none.json").DownloadContentAsync());
        }

        // Then the logs name the request and the error code, but hold no SharedKey signature and no key
        var log = string.Join("\n", lines);
        Assert.Contains("x-ms-version:2026-06-06", log);
        Assert.Contains("BlobNotFound", log);
        Assert.DoesNotContain("SharedKey ", log);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, log);
        Assert.Contains("Authorization:REDACTED", log);
    }
}
