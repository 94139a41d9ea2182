using System.Text.Json.Nodes;
using Aims.Functions.Events;
using Aims.Functions.Functions;
using Aims.Functions.Runs;
using Aims.Functions.Tests.Infrastructure;
using Aims.Pipeline.Hosting;
using Aims.Testing.Azurite;
using Microsoft.Extensions.DependencyInjection;

namespace Aims.Functions.Tests.InProcess;

/// <summary>AnalyzeGaps in-process: the digest where the CLI keeps it, and CloudEvents on Service Bus (through the SDK's mockable sender).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AnalysisTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task The_digest_is_stored_in_the_layout_the_CLI_uses()
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite);

        await app.Function<AnalyzeGaps>().RunAsync(new AnalysisRequest("run-20261123T020000Z", AnalysisRequest.Complete).ToJson(), CancellationToken.None);

        var today = DigestArchive.DatedName(app.Pipeline.Time.GetUtcNow());
        foreach (var extension in new[] { "json", "md", "html" })
        {
            Assert.NotNull(await StoreProbe.ReportTextAsync(app.Store, $"{today}.{extension}"));
            Assert.NotNull(await StoreProbe.ReportTextAsync(app.Store, $"{DigestArchive.LatestName}.{extension}"));
        }
    }

    [Fact]
    public async Task Run_completed_and_gap_changed_events_are_published_as_cloud_events()
    {
        var sender = new RecordingSender();
        await using var app = await FunctionsTestApp.CreateAsync(azurite, services: s => s.AddSingleton<IRunEvents>(new ServiceBusRunEvents(sender)));
        var analyze = app.Function<AnalyzeGaps>();

        // First analysis: nothing to compare with, so only run-completed.
        await analyze.RunAsync(new AnalysisRequest("run-1", AnalysisRequest.Complete).ToJson(), CancellationToken.None);
        var first = sender.Sent.ToList();
        Assert.Equal([RunEventFactory.RunCompleted], first.Select(m => m.Subject));

        // Pretend a control stood elsewhere last time: the next analysis says it changed, from what to what.
        var snapshot = JsonNode.Parse((await StoreProbe.ReportTextAsync(app.Store, GapSnapshot.ReportName))!)!.AsObject();
        var control = snapshot.First(p => p.Key.StartsWith("control/", StringComparison.Ordinal));
        var now = control.Value!.GetValue<string>();
        snapshot[control.Key] = now == "missing" ? "ok" : "missing";
        await using (var content = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(snapshot.ToJsonString())))
        {
            await app.Store.PutReportAsync(GapSnapshot.ReportName, content);
        }

        await analyze.RunAsync(new AnalysisRequest("run-2", AnalysisRequest.Complete).ToJson(), CancellationToken.None);

        var second = sender.Sent.Skip(first.Count).ToList();
        Assert.Equal(RunEventFactory.RunCompleted, second[0].Subject);
        var changed = Assert.Single(second, m => m.Subject == RunEventFactory.GapChanged);
        Assert.Equal(RunEventFactory.ContentType, changed.ContentType);
        var cloudEvent = JsonNode.Parse(changed.Body.ToString())!.AsObject();
        Assert.Equal("1.0", cloudEvent["specversion"]!.GetValue<string>());
        Assert.Equal(changed.MessageId, cloudEvent["id"]!.GetValue<string>());
        Assert.Equal(control.Key, cloudEvent["subject"]!.GetValue<string>());
        Assert.Equal("control", cloudEvent["data"]!["scope"]!.GetValue<string>());
        Assert.Equal(snapshot[control.Key]!.GetValue<string>(), cloudEvent["data"]!["from"]!.GetValue<string>());
        Assert.Equal(now, cloudEvent["data"]!["to"]!.GetValue<string>());
        Assert.Equal("run-2", cloudEvent["data"]!["runId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_redelivered_analysis_sends_events_with_the_same_ids()
    {
        var sender = new RecordingSender();
        await using var app = await FunctionsTestApp.CreateAsync(azurite, services: s => s.AddSingleton<IRunEvents>(new ServiceBusRunEvents(sender)));
        var message = new AnalysisRequest("run-3", AnalysisRequest.Complete).ToJson();

        await app.Function<AnalyzeGaps>().RunAsync(message, CancellationToken.None);
        await app.Function<AnalyzeGaps>().RunAsync(message, CancellationToken.None);

        // Service Bus duplicate detection drops the second copy by its message id.
        var ids = sender.Sent.Select(m => m.MessageId).ToList();
        Assert.Equal(2, ids.Count);
        Assert.Equal(ids[0], ids[1]);
    }
}
