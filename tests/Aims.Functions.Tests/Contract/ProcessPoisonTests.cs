using Aims.Evidence;
using Aims.Functions.Tests.Infrastructure;
using Aims.Testing;
using Aims.Testing.Azurite;

namespace Aims.Functions.Tests.Contract;

/// <summary>ProcessPoison as the host invokes it with a message moved to collect-jobs-poison.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ProcessPoisonTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 10, 0, TimeSpan.Zero);

    [Fact]
    public async Task Records_the_poisoned_job_as_collector_errors_that_the_gap_analysis_lists()
    {
        await using var probe = await LocalHttpServer.StartAsync(c => { c.Response.StatusCode = 503; return Task.CompletedTask; });
        await using var host = await CollectEvidenceTests.StartWithProbeAsync(probe, azurite);
        var job = await CollectEvidenceTests.FirstJobAsync(host, "Probe");

        var answer = await host.InvokeAsync("ProcessPoison", HostPayloads.QueueMessage("ProcessPoison", job.ToJsonString(), 1, "p-1", Now));

        Assert.Equal(200, answer.Status);
        Assert.Contains("was poisoned", answer.AllLogs);
        var item = Assert.Single(await StoreProbe.ItemsAsync(host.Runtime.Store));
        Assert.Equal(EvidenceKinds.CollectorError, item.Kind);
        Assert.Equal(job["jobId"]!.GetValue<string>(), item.JobId);
        Assert.Contains("collect-jobs-poison", item.Facts["error"]!.GetValue<string>());
        var report = await host.Runtime.Pipeline.AnalyzeAsync(Now);
        Assert.Contains(report.CollectorProblems, p => p.Source == "Probe" && p.Kind == ProbeSource.Kind);
    }

    [Fact]
    public async Task Processing_the_same_poison_message_twice_records_it_once()
    {
        await using var probe = await LocalHttpServer.StartAsync(c => { c.Response.StatusCode = 503; return Task.CompletedTask; });
        await using var host = await CollectEvidenceTests.StartWithProbeAsync(probe, azurite);
        var job = (await CollectEvidenceTests.FirstJobAsync(host, "Probe")).ToJsonString();

        await host.InvokeAsync("ProcessPoison", HostPayloads.QueueMessage("ProcessPoison", job, 1, "p-2", Now));
        await host.InvokeAsync("ProcessPoison", HostPayloads.QueueMessage("ProcessPoison", job, 2, "p-2", Now.AddMinutes(1)));

        Assert.Single(await StoreProbe.ItemIdsAsync(host.Runtime.Store));
    }

    [Fact]
    public async Task Records_a_malformed_poison_message_for_source_Functions()
    {
        await using var host = await HandlerHost.StartAsync(azurite: azurite);

        var answer = await host.InvokeAsync("ProcessPoison", HostPayloads.QueueMessage("ProcessPoison", "[1,2,3]", 1, "p-3", Now));

        Assert.Equal(200, answer.Status);
        var item = Assert.Single(await StoreProbe.ItemsAsync(host.Runtime.Store));
        Assert.Equal("queue-message/p-3", item.Subject.Key);
        Assert.Equal("collect-jobs-poison", item.Facts["queue"]!.GetValue<string>());
    }
}
