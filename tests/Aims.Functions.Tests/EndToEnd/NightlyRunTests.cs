using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Functions.Tests.Contract;
using Aims.Functions.Tests.Infrastructure;
using Aims.Testing;
using Aims.Testing.Azurite;

namespace Aims.Functions.Tests.EndToEnd;

/// <summary>
/// A night in production, played locally: the timer fires ScheduleCollection, its messages go through the queue to
/// CollectEvidence with the host's delivery rules, poisoned jobs reach ProcessPoison, and AnalyzeGaps writes the digest.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NightlyRunTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Collects_every_planned_job_and_writes_the_digest()
    {
        await using var host = await HandlerHost.StartAsync(azurite: azurite);
        var queues = await QueueSet.CreateAsync(azurite);
        var simulator = new FunctionsHostSimulator(host, queues.Get, host.Time);

        var tick = await simulator.FireTimerAsync("ScheduleCollection");
        var planned = ((JsonArray)tick.Outputs["jobs"]!).Count;
        Assert.Equal(planned, await queues.Get("collect-jobs").CountAsync());
        await simulator.DrainAsync("collect-jobs", "CollectEvidence");

        Assert.Equal(planned, simulator.Invocations.Count(i => i is { Function: "CollectEvidence", Status: 200 }));
        Assert.Equal(0, await queues.Get("collect-jobs").CountAsync());
        Assert.Equal(0, await queues.Get("collect-jobs-poison").CountAsync());
        var items = await StoreProbe.ItemsAsync(host.Runtime.Store);
        Assert.Contains(items, i => i.Kind == EvidenceKinds.Document);
        Assert.DoesNotContain(items, i => i.IsCollectorError && i.Facts["source"]?.GetValue<string>() == "Functions");

        var analysis = await host.InvokeAsync("AnalyzeGaps", HostPayloads.Timer("AnalyzeGaps", host.Time.GetUtcNow()));
        Assert.Equal(200, analysis.Status);
        var digest = JsonNode.Parse((await StoreProbe.ReportTextAsync(host.Runtime.Store, "digest/latest.json"))!)!;
        Assert.Equal("Contoso Financial (sample)", digest["organization"]!.GetValue<string>());
        Assert.NotNull(await StoreProbe.ReportTextAsync(host.Runtime.Store, "digest/2026-11-23.html"));
    }

    [Fact]
    public async Task A_message_delivered_again_after_a_lost_acknowledgement_adds_no_duplicate_items()
    {
        await using var host = await HandlerHost.StartAsync(azurite: azurite);
        var queues = await QueueSet.CreateAsync(azurite);
        var simulator = new FunctionsHostSimulator(host, queues.Get, host.Time);
        await simulator.FireTimerAsync("ScheduleCollection");
        var queue = queues.Get("collect-jobs");

        // The first delivery succeeds but its delete is lost (the host crashed): the message comes back.
        var first = (await queue.ReceiveAsync())!;
        var answer = await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", first.Text, first.DequeueCount, first.Id, host.Time.GetUtcNow()));
        Assert.Equal(200, answer.Status);
        await queue.ReleaseAsync(first);
        var items = await StoreProbe.ItemIdsAsync(host.Runtime.Store);
        var ledger = await StoreProbe.LedgerCountAsync(host.Runtime.Store);
        host.Time.Advance(TimeSpan.FromMinutes(1));

        // Storage queues promise no order: pass over the other messages until the redelivered one comes back.
        var again = (await queue.ReceiveAsync())!;
        for (var tries = 0; again.Id != first.Id && tries < 100; tries++)
        {
            await queue.ReleaseAsync(again);
            again = (await queue.ReceiveAsync())!;
        }

        Assert.Equal(first.Id, again.Id);
        Assert.Equal(2, again.DequeueCount);
        await simulator.DeliverAsync(queue, again, "CollectEvidence");

        Assert.Equal(items.Order(), (await StoreProbe.ItemIdsAsync(host.Runtime.Store)).Order());
        Assert.Equal(ledger, await StoreProbe.LedgerCountAsync(host.Runtime.Store));
    }

    [Fact]
    public async Task A_source_that_always_answers_503_is_poisoned_after_five_deliveries_and_shows_in_the_digest()
    {
        await using var probe = await LocalHttpServer.StartAsync(c => { c.Response.StatusCode = 503; return Task.CompletedTask; });
        await using var host = await CollectEvidenceTests.StartWithProbeAsync(probe, azurite);
        var queues = await QueueSet.CreateAsync(azurite);
        var simulator = new FunctionsHostSimulator(host, queues.Get, host.Time);

        await simulator.FireTimerAsync("ScheduleCollection");
        await simulator.DrainAsync("collect-jobs", "CollectEvidence");

        var probeDeliveries = simulator.Invocations.Where(i => i.Function == "CollectEvidence" && i.Status == 503).ToList();
        Assert.Equal([1, 2, 3, 4, 5], probeDeliveries.Select(i => i.DequeueCount));
        Assert.Equal(5, probe.RequestCount);
        Assert.Equal(1, await queues.Get("collect-jobs-poison").CountAsync());
        Assert.DoesNotContain(await StoreProbe.ItemsAsync(host.Runtime.Store), i => i.IsCollectorError && i.Facts["source"]?.GetValue<string>() == "Probe");

        await simulator.DrainAsync("collect-jobs-poison", "ProcessPoison");

        Assert.Equal(0, await queues.Get("collect-jobs-poison").CountAsync());
        var analysis = await host.InvokeAsync("AnalyzeGaps", HostPayloads.Timer("AnalyzeGaps", host.Time.GetUtcNow()));
        Assert.Equal(200, analysis.Status);
        var report = await host.Runtime.Pipeline.AnalyzeAsync(host.Time.GetUtcNow());
        var problem = Assert.Single(report.CollectorProblems, p => p.Source == "Probe");
        Assert.Contains("collect-jobs-poison", problem.Error);
        Assert.Contains("collect-jobs-poison", (await StoreProbe.ReportTextAsync(host.Runtime.Store, "digest/latest.md"))!);
    }

    /// <summary>The two queues of the app, in Azurite, under a prefix of this test's own.</summary>
    private sealed class QueueSet
    {
        private readonly Dictionary<string, ITestQueue> _queues = [];

        public static async Task<QueueSet> CreateAsync(AzuriteFixture azurite)
        {
            var set = new QueueSet();
            var prefix = AzuriteFixture.UniqueName("q");
            foreach (var name in new[] { "collect-jobs", "collect-jobs-poison" })
            {
                set._queues[name] = await AzuriteQueue.CreateAsync(azurite.ConnectionString, prefix, name);
            }

            return set;
        }

        public ITestQueue Get(string name) =>
            _queues.TryGetValue(name, out var queue) ? queue : throw new InvalidOperationException($"The app has no queue '{name}'.");
    }
}
