using Aims.Storage.Azure.Blobs;
using Aims.Testing.Azurite;

namespace Aims.Storage.Azure.Tests;

[Collection(AzuriteCollection.Name)]
public sealed class ListingScaleTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Listing_100000_blobs_pages_through_all_of_them_with_flat_memory()
    {
        // Given 100,000 empty blobs under a prefix (written in parallel) and a few outside it
        const int count = 100_000;
        // Azure.Core's per-request logging and tracing are switched off: 100,000 requests are CPU-bound on both sides.
        var options = new BlobClientOptions();
        options.Diagnostics.IsLoggingEnabled = false;
        options.Diagnostics.IsDistributedTracingEnabled = false;
        var client = new BlobContainerClient(azurite.ConnectionString, AzuriteFixture.UniqueName("scale"), options);
        await client.CreateIfNotExistsAsync();
        try
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, ct) =>
                await client.UploadAsync($"items/{i % 256:x2}/{i:D6}.json", ReadOnlyMemory<byte>.Empty, cancellationToken: ct));
            await client.UploadAsync("index/document.json", "{}"u8.ToArray());

            // When it is listed page by page, keeping nothing but counters
            GC.Collect();
            var baseline = GC.GetTotalMemory(forceFullCollection: true);
            long peak = 0;
            var listed = 0;
            var pages = 0;
            var largestPage = 0;
            string? previous = null;
            var ordered = true;
            await foreach (var page in client.GetBlobsAsync("items/").AsPages())
            {
                pages++;
                largestPage = Math.Max(largestPage, page.Values.Count);
                foreach (var blob in page.Values)
                {
                    ordered &= previous is null || string.CompareOrdinal(previous, blob.Name) < 0;
                    previous = blob.Name;
                    listed++;
                }

                if (pages % 4 == 0)
                {
                    peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: true) - baseline);
                }
            }

            // Then every blob came back once, in name order, in pages of at most 5000, and the heap never held
            // more than a page or two (100,000 listed entries would take tens of megabytes)
            Assert.Equal(count, listed);
            Assert.True(ordered, "Blobs were not listed in name order.");
            Assert.True(largestPage <= 5000, $"A page held {largestPage} blobs.");
            Assert.True(pages >= count / 5000, $"Only {pages} pages for {count} blobs.");
            Assert.True(peak < 24 * 1024 * 1024, $"The listing kept {peak / (1024 * 1024)} MB on the heap.");
        }
        finally
        {
            await client.DeleteIfExistsAsync();
        }
    }
}
