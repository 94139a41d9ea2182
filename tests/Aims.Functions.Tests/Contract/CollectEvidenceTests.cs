using System.Text.Json.Nodes;
using Aims.Evidence;
using Aims.Functions.Tests.Infrastructure;
using Aims.Pipeline;
using Aims.Testing;
using Aims.Testing.Azurite;

namespace Aims.Functions.Tests.Contract;

/// <summary>CollectEvidence as the host invokes it: one queue message, delivered once or again.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CollectEvidenceTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 2, 0, 5, TimeSpan.Zero);

    [Fact]
    public async Task Runs_the_job_of_a_message_delivered_as_a_json_string_and_stores_its_items()
    {
        await using var host = await HandlerHost.StartAsync(azurite: azurite);
        var job = await FirstJobAsync(host);

        var answer = await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", job.ToJsonString(), 1, "m-1", Now));

        Assert.Equal(200, answer.Status);
        Assert.Empty(answer.Outputs);
        var items = await StoreProbe.ItemsAsync(host.Runtime.Store);
        Assert.NotEmpty(items);
        Assert.All(items, i => Assert.Equal(job["runId"]!.GetValue<string>(), i.RunId));
        Assert.All(items, i => Assert.Equal(job["jobId"]!.GetValue<string>(), i.JobId));
        Assert.Contains($"{items.Count} new item(s), 0 already stored", answer.AllLogs);
    }

    [Fact]
    public async Task A_redelivered_message_adds_no_item_and_no_ledger_entry()
    {
        await using var host = await HandlerHost.StartAsync(azurite: azurite);
        var job = (await FirstJobAsync(host)).ToJsonString();
        await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", job, 1, "m-1", Now));
        var items = await StoreProbe.ItemIdsAsync(host.Runtime.Store);
        var ledger = await StoreProbe.LedgerCountAsync(host.Runtime.Store);

        host.Time.Advance(TimeSpan.FromMinutes(2));
        var again = await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", job, 2, "m-1", Now.AddMinutes(2)));

        Assert.Equal(200, again.Status);
        Assert.Equal(items.Order(), (await StoreProbe.ItemIdsAsync(host.Runtime.Store)).Order());
        Assert.Equal(ledger, await StoreProbe.LedgerCountAsync(host.Runtime.Store));
        Assert.Contains($"0 new item(s), {items.Count} already stored", again.AllLogs);
        Assert.Contains("delivery 2", again.AllLogs);
    }

    [Fact]
    public async Task Accepts_a_message_delivered_as_a_json_object()
    {
        await using var host = await HandlerHost.StartAsync(azurite: azurite);
        var job = await FirstJobAsync(host);

        var answer = await host.InvokeAsync("CollectEvidence", HostPayloads.QueueObject("CollectEvidence", job, 1, "m-2", Now));

        Assert.Equal(200, answer.Status);
        Assert.NotEmpty(await StoreProbe.ItemIdsAsync(host.Runtime.Store));
    }

    [Fact]
    public async Task Acknowledges_a_malformed_message_and_records_it_as_a_collector_error_of_source_Functions()
    {
        await using var host = await HandlerHost.StartAsync(azurite: azurite);

        var answer = await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", "{\"hello\":\"world\"}", 1, "bad-1", Now));

        Assert.Equal(200, answer.Status);
        Assert.Contains("Error: Message bad-1 on collect-jobs is not a collection job", answer.AllLogs);
        var item = Assert.Single(await StoreProbe.ItemsAsync(host.Runtime.Store));
        Assert.Equal(EvidenceKinds.CollectorError, item.Kind);
        Assert.Equal("queue-message/bad-1", item.Subject.Key);
        Assert.Equal("Functions", item.Facts["source"]!.GetValue<string>());
        var report = await host.Runtime.Pipeline.AnalyzeAsync(Now);
        Assert.Contains(report.CollectorProblems, p => p.Source == "Functions" && p.Error.Contains("not a collection job", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Answers_503_without_recording_anything_when_the_source_fails_transiently()
    {
        await using var probe = await LocalHttpServer.StartAsync(c => { c.Response.StatusCode = 503; return Task.CompletedTask; });
        await using var host = await StartWithProbeAsync(probe, azurite);
        var job = await FirstJobAsync(host, "Probe");

        var answer = await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", job.ToJsonString(), 3, "m-3", Now));

        Assert.Equal(503, answer.Status);
        Assert.Contains("503", answer.Body!["Error"]!.GetValue<string>());
        Assert.Contains("transient", answer.AllLogs);
        Assert.Empty(await StoreProbe.ItemIdsAsync(host.Runtime.Store));
    }

    [Fact]
    public async Task Records_a_permanent_failure_as_collector_error_evidence_and_acknowledges_it()
    {
        await using var probe = await LocalHttpServer.StartAsync(c => { c.Response.StatusCode = 401; return Task.CompletedTask; });
        await using var host = await StartWithProbeAsync(probe, azurite);
        var job = await FirstJobAsync(host, "Probe");

        var answer = await host.InvokeAsync("CollectEvidence", HostPayloads.QueueMessage("CollectEvidence", job.ToJsonString(), 1, "m-4", Now));

        Assert.Equal(200, answer.Status);
        Assert.Contains("a retry cannot fix it", answer.AllLogs);
        var item = Assert.Single(await StoreProbe.ItemsAsync(host.Runtime.Store));
        Assert.Equal(EvidenceKinds.CollectorError, item.Kind);
        Assert.Equal(ProbeSource.Kind, item.Facts["attemptedKind"]!.GetValue<string>());
        Assert.Contains("401", item.Facts["error"]!.GetValue<string>());
    }

    internal static async Task<HandlerHost> StartWithProbeAsync(LocalHttpServer probe, AzuriteFixture azurite, IDictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["Aims:Sources:Probe:BaseUrl"] = probe.BaseUri.AbsoluteUri };
        foreach (var (k, v) in more ?? new Dictionary<string, string?>())
        {
            settings[k] = v;
        }

        return await HandlerHost.StartAsync(settings, new SourceRegistry([.. SourceRegistry.CreateDefault().All, new ProbeSource()]), azurite: azurite);
    }

    internal static async Task<JsonObject> FirstJobAsync(HandlerHost host, string source = "Documents")
    {
        var plan = await host.InvokeAsync("ScheduleCollection", HostPayloads.Timer("ScheduleCollection", Now));
        return (JsonObject)((JsonArray)plan.Outputs["jobs"]!).First(j => j!["source"]!.GetValue<string>() == source)!.DeepClone();
    }
}
