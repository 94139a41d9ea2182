using Aims.Testing;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Http;

namespace Aims.Storage.Azure.Tests;

/// <summary>How the client treats transient and permanent failures, played by a local fake of the Blob service.</summary>
public sealed class RetryBehaviourTests
{
    private static readonly StorageSharedKeyCredential Credential = new("devstoreaccount1", Convert.ToBase64String(new byte[32]));

    private static BlobContainerClient ClientFor(LocalHttpServer server, TimeSpan? networkTimeout = null)
    {
        var options = StorageClientDefaults.BlobOptions();
        options.Transport = new HttpClientTransport(new SocketsHttpHandler());
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.NetworkTimeout = networkTimeout ?? TimeSpan.FromSeconds(30);
        return new BlobContainerClient(new Uri(server.BaseUri, "devstoreaccount1/evidence"), Credential, options);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string code)
    {
        context.Response.StatusCode = status;
        context.Response.Headers["x-ms-error-code"] = code;
        context.Response.ContentType = "application/xml";
        await context.Response.WriteAsync($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>Explained.\nRequestId:1\nTime:2026-11-23T02:00:00Z</Message></Error>");
    }

    [Theory]
    [InlineData(408, "OperationTimedOut")]
    [InlineData(429, "TooManyRequests")]
    [InlineData(500, "InternalError")]
    [InlineData(503, "ServerBusy")]
    public async Task Transient_statuses_are_retried_until_the_service_answers(int status, string code)
    {
        var attempts = 0;
        await using var server = await LocalHttpServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref attempts) <= 2)
            {
                await WriteErrorAsync(context, status, code);
                return;
            }

            context.Response.StatusCode = 201;
            context.Response.Headers.ETag = "\"0x2\"";
        });

        var result = await ClientFor(server).GetBlobClient("reports/a.md").UploadAsync(BinaryData.FromBytes("x"u8.ToArray()));

        Assert.Equal(3, attempts);
        Assert.Equal("\"0x2\"", result.Value.ETag.ToString("H"));
    }

    [Theory]
    [InlineData(400, "InvalidHeaderValue")]
    [InlineData(403, "AuthorizationFailure")]
    [InlineData(409, "BlobAlreadyExists")]
    [InlineData(412, "ConditionNotMet")]
    public async Task Permanent_statuses_fail_at_once_with_the_service_error_code(int status, string code)
    {
        var attempts = 0;
        await using var server = await LocalHttpServer.StartAsync(async context =>
        {
            Interlocked.Increment(ref attempts);
            await WriteErrorAsync(context, status, code);
        });

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => ClientFor(server).GetBlobClient("reports/a.md").UploadAsync(BinaryData.FromBytes("x"u8.ToArray())));

        Assert.Equal(1, attempts);
        Assert.Equal(status, ex.Status);
        Assert.Equal(code, ex.ErrorCode);
        Assert.Contains("Explained.", ex.Message);
    }

    [Fact]
    public async Task A_try_that_exceeds_the_network_timeout_is_retried()
    {
        var attempts = 0;
        await using var server = await LocalHttpServer.StartAsync(async context =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(3), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                return;
            }

            context.Response.StatusCode = 201;
        });

        await ClientFor(server, networkTimeout: TimeSpan.FromMilliseconds(300)).GetBlobClient("reports/a.md").UploadAsync(BinaryData.FromBytes("x"u8.ToArray()));

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task A_download_cut_off_midway_resumes_from_where_it_stopped_on_the_same_etag()
    {
        // Given a blob whose first download drops the connection half-way
        var content = Enumerable.Range(0, 200_000).Select(i => (byte)(i % 251)).ToArray();
        var requests = new List<(string? Range, string? IfMatch)>();
        await using var server = await LocalHttpServer.StartAsync(async context =>
        {
            var range = context.Request.Headers["x-ms-range"].FirstOrDefault();
            lock (requests)
            {
                requests.Add((range, context.Request.Headers.IfMatch.FirstOrDefault()));
            }

            context.Response.Headers.ETag = "\"0xA\"";
            context.Response.Headers["x-ms-blob-type"] = "BlockBlob";
            if (range is null)
            {
                context.Response.ContentLength = content.Length;
                await context.Response.Body.WriteAsync(content.AsMemory(0, 80_000));
                await context.Response.Body.FlushAsync();
                context.Abort();
                return;
            }

            var from = int.Parse(range["bytes=".Length..].TrimEnd('-'), System.Globalization.CultureInfo.InvariantCulture);
            context.Response.StatusCode = 206;
            context.Response.Headers.ContentRange = $"bytes {from}-{content.Length - 1}/{content.Length}";
            context.Response.ContentLength = content.Length - from;
            await context.Response.Body.WriteAsync(content.AsMemory(from));
        });

        // When it is read to the end
        var download = await ClientFor(server).GetBlobClient("raw/aa/payload").DownloadStreamingAsync();
        var copy = new MemoryStream();
        using (download.Value)
        {
            await download.Value.Content.CopyToAsync(copy);
        }

        // Then every byte arrived once, the rest was asked for by range, pinned to the first ETag
        Assert.Equal(content, copy.ToArray());
        Assert.Equal(2, requests.Count);
        Assert.Null(requests[0].Range);
        Assert.StartsWith("bytes=", requests[1].Range);
        Assert.Equal("\"0xA\"", requests[1].IfMatch);
    }
}
