using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Cli;
using Aims.Functions.Hosting;
using Aims.Functions.Tests.Infrastructure;
using Aims.Functions.WorkerHost;
using Aims.Functions.WorkerHost.Rpc;
using Aims.Testing;
using Aims.Testing.Azurite;
using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;

namespace Aims.Functions.Tests.Worker;

/// <summary>
/// The published worker process, driven over gRPC by a stand-in for the Functions host, runs a nightly run end to end
/// against Azurite: the timer's queue output is written to collect-jobs; each message is delivered to CollectEvidence
/// the way the host delivers it (a failed invocation leaves the message to come back, with a higher dequeue count, and
/// after maxDequeueCount 5 it moves to collect-jobs-poison); the job completing the run queues the analysis; then an
/// auditor asks the HTTP API for a bundle, downloads it through the read-only link, and <c>aims verify</c> passes.
/// The Jira source answers 503 throughout (the real collector, a local fake): its job is retried, then poisoned.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NightlyRunThroughTheWorkerTests(AzuriteFixture azurite)
{
    private const int MaxDequeueCount = 5;
    private static readonly TimeSpan Visibility = TimeSpan.FromSeconds(1);

    [Fact]
    public async Task A_nightly_run_goes_from_timer_to_verified_bundle_through_the_real_worker()
    {
        using var folder = new TempDirectory();
        RepositoryPaths.CopySample(folder.Path);
        await using var outage = await OutageServer.StartAsync();
        var container = AzuriteFixture.UniqueName("evidence");
        var environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = azurite.ConnectionString,
            ["Aims__Store"] = $"{azurite.ConnectionString};Container={container}",
            ["AIMS_CONFIG"] = Path.Combine(folder.Path, "aims.json"),
            ["AIMS_COLLECT_SCHEDULE"] = "0 0 2 * * *",
            ["AIMS_CHECK_RUNS_SCHEDULE"] = "0 30 * * * *",
        };
        foreach (var (key, value) in outage.SourceSettings().Where(s => s.Key.StartsWith("Aims:Sources:Jira", StringComparison.Ordinal)))
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var queues = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 });
        foreach (var name in new[] { QueueNames.CollectJobs, QueueNames.CollectJobsPoison, QueueNames.AnalyzeRuns, QueueNames.BundleBuilds })
        {
            await queues.GetQueueClient(name).CreateIfNotExistsAsync();
            await queues.GetQueueClient(name).ClearMessagesAsync();
        }

        await using var worker = await FunctionsWorkerHost.StartAsync(await PublishedWorker.DirectoryAsync(), PublishedWorker.Assembly, environment, TimeSpan.FromSeconds(90));
        try
        {
            Assert.Equal(7, worker.Functions.Count);

            // 02:00: the timer fires; the host writes the returned messages to collect-jobs.
            var scheduled = DateTimeOffset.UtcNow.AddMinutes(-1);
            scheduled = new DateTimeOffset(scheduled.Year, scheduled.Month, scheduled.Day, scheduled.Hour, scheduled.Minute, 0, TimeSpan.Zero);
            var tick = await worker.InvokeAsync("ScheduleCollection", FunctionsWorkerHost.TimerTick("timer", null, scheduled, isPastDue: false));
            Succeeded(tick, worker);
            var jobs = Strings(tick.ReturnValue);
            Assert.Contains(jobs, j => j.Contains("\"Jira\"", StringComparison.Ordinal));
            Assert.True(jobs.Count >= 2);
            foreach (var job in jobs)
            {
                await queues.GetQueueClient(QueueNames.CollectJobs).SendMessageAsync(job);
            }

            // The host's queue listener: deliver, delete on success, let a failure come back, poison after the 5th.
            var deliveries = await DeliverAllAsync(worker, queues.GetQueueClient(QueueNames.CollectJobs), "CollectEvidence", queues.GetQueueClient(QueueNames.CollectJobsPoison));
            Assert.Equal(MaxDequeueCount, deliveries.Single(d => d.Key.Contains("\"Jira\"", StringComparison.Ordinal)).Value);
            Assert.All(deliveries.Where(d => !d.Key.Contains("\"Jira\"", StringComparison.Ordinal)), d => Assert.Equal(1, d.Value));
            await DeliverAllAsync(worker, queues.GetQueueClient(QueueNames.CollectJobsPoison), "ProcessPoison", null);

            // The poisoned job completed the run: the worker itself queued the analysis.
            var analyses = await DeliverAllAsync(worker, queues.GetQueueClient(QueueNames.AnalyzeRuns), "AnalyzeGaps", null);
            var analysis = Assert.Single(analyses).Key;
            Assert.Contains($"run-{scheduled:yyyyMMdd'T'HHmmss'Z'}", analysis, StringComparison.Ordinal);

            // An auditor asks for a bundle: 202 and a status URL; the build runs from the queue.
            using var http = new HttpClient();
            using var post = new HttpRequestMessage(HttpMethod.Post, "api/bundles") { Content = new StringContent("""{"from": "2026-02-16", "to": "2027-02-15"}""", Encoding.UTF8, "application/json") };
            var (postInvocation, postResponse) = await worker.InvokeHttpAsync("Bundles", http, post);
            Succeeded(postInvocation, worker);
            Assert.Equal(HttpStatusCode.Accepted, postResponse.StatusCode);
            var id = JsonNode.Parse(await postResponse.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
            Assert.Equal($"/api/bundles/{id}", postResponse.Headers.Location?.OriginalString);
            await DeliverAllAsync(worker, queues.GetQueueClient(QueueNames.BundleBuilds), "BuildBundle", null);

            using var get = new HttpRequestMessage(HttpMethod.Get, $"api/bundles/{id}");
            var (getInvocation, getResponse) = await worker.InvokeHttpAsync("Bundles", http, get, new Dictionary<string, string> { ["id"] = id });
            Succeeded(getInvocation, worker);
            var status = JsonNode.Parse(await getResponse.Content.ReadAsStringAsync())!;
            Assert.Equal("ready", status["status"]!.GetValue<string>());

            var zip = Path.Combine(folder.Path, "bundle.zip");
            await File.WriteAllBytesAsync(zip, await http.GetByteArrayAsync(status["url"]!.GetValue<string>()));
            var output = new StringWriter();
            var exit = await AimsCli.RunAsync(["verify", zip], output, new StringWriter());
            Assert.True(exit == 0, output.ToString());
            Assert.Contains(output.ToString().Split('\n'), line => line.StartsWith("intact:", StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException($"{ex.Message}\nWorker log:\n{string.Join('\n', worker.Logs.TakeLast(60))}", ex);
        }
    }

    /// <summary>Delivers every message on <paramref name="queue"/> to <paramref name="function"/> until the queue is empty; returns deliveries per message text.</summary>
    private static async Task<Dictionary<string, int>> DeliverAllAsync(FunctionsWorkerHost worker, QueueClient queue, string function, QueueClient? poison)
    {
        var deliveries = new Dictionary<string, int>(StringComparer.Ordinal);
        var idle = 0;
        while (idle < 3)
        {
            QueueMessage[] batch = (await queue.ReceiveMessagesAsync(16, Visibility)).Value;
            if (batch.Length == 0)
            {
                idle++;
                await Task.Delay(Visibility);
                continue;
            }

            idle = 0;
            foreach (var message in batch)
            {
                var text = message.Body.ToString();
                deliveries[text] = (int)message.DequeueCount;
                var (inputs, metadata) = FunctionsWorkerHost.QueueMessage("message", text, message.MessageId, message.DequeueCount, message.InsertedOn ?? DateTimeOffset.UtcNow);
                var response = await worker.InvokeAsync(function, inputs, metadata);
                if (response.Result.Status == StatusResult.Types.Status.Success)
                {
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                else if (poison is not null && message.DequeueCount >= MaxDequeueCount)
                {
                    await poison.SendMessageAsync(text);
                    await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
                }
                else if (poison is null)
                {
                    throw new InvalidOperationException($"{function} failed: {response.Result.Exception?.Message}\n{string.Join('\n', worker.Logs.TakeLast(40))}");
                }
            }
        }

        return deliveries;
    }

    private static List<string> Strings(TypedData value) => value.DataCase switch
    {
        TypedData.DataOneofCase.CollectionString => value.CollectionString.String.ToList(),
        TypedData.DataOneofCase.Json => JsonNode.Parse(value.Json)!.AsArray().Select(n => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n!.ToJsonString()).ToList(),
        TypedData.DataOneofCase.String => [value.String],
        _ => throw new InvalidOperationException($"Unexpected return value {value.DataCase}."),
    };

    private static void Succeeded(InvocationResponse response, FunctionsWorkerHost worker) =>
        Assert.True(response.Result.Status == StatusResult.Types.Status.Success,
            $"{response.Result.Exception?.Message}\n{string.Join('\n', worker.Logs.TakeLast(40))}");
}
