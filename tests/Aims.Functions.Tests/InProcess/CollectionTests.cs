using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Evidence.Collection;
using Aims.Evidence;
using Aims.Functions.Functions;
using Aims.Functions.Hosting;
using Aims.Functions.Runs;
using Aims.Functions.Tests.Infrastructure;
using Aims.Testing.Azurite;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Functions.Tests.InProcess;

/// <summary>The collection functions in-process against Azurite: fan-out, redelivery, transient and permanent failures, poison, fan-in.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CollectionTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Two = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    private static TimerInfo Tick(DateTimeOffset next, bool pastDue = false) => new()
    {
        ScheduleStatus = new ScheduleStatus { Last = next.UtcDateTime.AddDays(-1), Next = next.UtcDateTime, LastUpdated = next.UtcDateTime.AddDays(-1) },
        IsPastDue = pastDue,
    };

    [Fact]
    public async Task ScheduleCollection_fans_out_one_message_per_job_and_records_the_plan()
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite, time: new FakeTimeProvider(Two.AddSeconds(1)));

        var messages = await app.Function<ScheduleCollection>().RunAsync(Tick(Two), CancellationToken.None);

        Assert.NotEmpty(messages);
        var jobs = messages.Select(m => CollectionJob.FromJson(JsonNode.Parse(m))).ToList();
        Assert.All(jobs, j => Assert.Equal("run-20261123T020000Z", j.RunId));
        Assert.Equal(jobs.Count, jobs.Select(j => j.JobId).Distinct().Count());
        var run = await Runs(app).GetEntityAsync<TableEntity>("run-20261123T020000Z", "run");
        Assert.Equal(jobs.Count, run.Value.GetInt32("Planned"));
    }

    [Fact]
    public async Task A_past_due_tick_names_the_run_after_its_scheduled_occurrence()
    {
        // The host was down at 02:00 and fires the missed tick at 09:17.
        await using var app = await FunctionsTestApp.CreateAsync(azurite, time: new FakeTimeProvider(Two.AddHours(7).AddMinutes(17)));

        var messages = await app.Function<ScheduleCollection>().RunAsync(Tick(Two, pastDue: true), CancellationToken.None);

        Assert.All(messages, m => Assert.Equal("run-20261123T020000Z", CollectionJob.FromJson(JsonNode.Parse(m)).RunId));
        Assert.Contains(app.Logs, l => l.Contains("past due", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Redelivered_job_writes_no_second_ledger_entry()
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite, time: new FakeTimeProvider(Two.AddDays(1)));
        var message = (await app.Function<ScheduleCollection>().RunAsync(Tick(Two.AddDays(1)), CancellationToken.None)).First();
        var collect = app.Function<CollectEvidence>();

        await collect.RunAsync(message, "m-1", 1, CancellationToken.None);
        var items = (await StoreProbe.ItemsAsync(app.Store)).Select(i => i.Id).Order().ToList();
        var ledger = await StoreProbe.LedgerCountAsync(app.Store);
        await collect.RunAsync(message, "m-1", 2, CancellationToken.None);

        Assert.NotEmpty(items);
        Assert.Equal(items, (await StoreProbe.ItemsAsync(app.Store)).Select(i => i.Id).Order().ToList());
        Assert.Equal(ledger, await StoreProbe.LedgerCountAsync(app.Store));
    }

    [Fact]
    public async Task An_outage_of_the_real_GitHub_and_Jira_collectors_fails_the_invocation_so_the_host_redelivers()
    {
        await using var outage = await OutageServer.StartAsync();
        await using var app = await FunctionsTestApp.CreateAsync(azurite, outage.SourceSettings(), new FakeTimeProvider(Two.AddDays(2)));
        var messages = await app.Function<ScheduleCollection>().RunAsync(Tick(Two.AddDays(2)), CancellationToken.None);
        var collect = app.Function<CollectEvidence>();

        foreach (var source in new[] { "GitHub", "Jira" })
        {
            var message = messages.Single(m => CollectionJob.FromJson(JsonNode.Parse(m)).Source == source);
            var error = await Assert.ThrowsAsync<SourceUnavailableException>(() => collect.RunAsync(message, $"m-{source}", 1, CancellationToken.None));
            Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, error.StatusCode);
        }

        // Nothing recorded as a collector error: the next delivery may well succeed.
        Assert.DoesNotContain(await StoreProbe.ItemsAsync(app.Store), i => i.Source.System is "github" or "jira");
        Assert.Contains(outage.Paths, p => p.Contains("/repos/contoso/credit-model", StringComparison.Ordinal));
        Assert.Contains(outage.Paths, p => p.Contains("/rest/api/3/search", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_permanent_failure_is_recorded_as_collector_errors_and_acknowledged()
    {
        await using var outage = await OutageServer.StartAsync();
        await using var app = await FunctionsTestApp.CreateAsync(azurite, outage.SourceSettings(), new FakeTimeProvider(Two.AddDays(3)));
        var run = (await app.Function<ScheduleCollection>().RunAsync(Tick(Two.AddDays(3)), CancellationToken.None))
            .Select(m => CollectionJob.FromJson(JsonNode.Parse(m))).ToList();

        // A job planned before its kind was switched off: no retry can make it valid.
        var jira = run.Single(j => j.Source == "Jira");
        var stale = jira with { Parameters = new Dictionary<string, string>(jira.Parameters) { ["kind"] = "change-requests" } };
        await app.Function<CollectEvidence>().RunAsync(stale.ToJson().ToJsonString(), "m-stale", 1, CancellationToken.None);

        var errors = (await StoreProbe.ItemsAsync(app.Store)).Where(i => i.Kind == EvidenceKinds.CollectorError && i.JobId == jira.JobId).ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("not enabled", e.Facts["error"]!.GetValue<string>(), StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_message_that_is_not_a_job_is_recorded_and_acknowledged()
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite);

        await app.Function<CollectEvidence>().RunAsync("{\"hello\":", "m-bad", 1, CancellationToken.None);

        var error = Assert.Single(await StoreProbe.ItemsAsync(app.Store), i => i.Kind == EvidenceKinds.CollectorError);
        Assert.Equal("functions", error.Source.System);
        Assert.Equal("m-bad", error.Subject.Id);
    }

    [Fact]
    public async Task A_poisoned_job_is_recorded_for_its_source_and_completes_its_run()
    {
        await using var outage = await OutageServer.StartAsync();
        await using var app = await FunctionsTestApp.CreateAsync(azurite, outage.SourceSettings(), new FakeTimeProvider(Two.AddDays(4)));
        var messages = await app.Function<ScheduleCollection>().RunAsync(Tick(Two.AddDays(4)), CancellationToken.None);
        var collect = app.Function<CollectEvidence>();
        var poison = app.Function<ProcessPoison>();
        foreach (var message in messages)
        {
            var job = CollectionJob.FromJson(JsonNode.Parse(message));
            if (job.Source is "GitHub" or "Jira")
            {
                await poison.RunAsync(message, "p-" + job.JobId, 1, CancellationToken.None);
            }
            else
            {
                await collect.RunAsync(message, "m-" + job.JobId, 1, CancellationToken.None);
            }
        }

        var errors = (await StoreProbe.ItemsAsync(app.Store)).Where(i => i.Kind == EvidenceKinds.CollectorError).ToList();
        Assert.Contains(errors, e => e.Source.System == "github" && e.Facts["error"]!.GetValue<string>().Contains("collect-jobs-poison", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Source.System == "ticketing" || e.Source.System == "jira");
        var analysis = Assert.Single(await app.DrainAsync(QueueNames.AnalyzeRuns));
        Assert.Equal(new AnalysisRequest("run-20261127T020000Z", AnalysisRequest.Complete), AnalysisRequest.Parse(analysis));
    }

    [Fact]
    public async Task Only_the_job_completing_a_run_queues_its_analysis_and_redelivery_does_not_queue_it_again()
    {
        await using var app = await FunctionsTestApp.CreateAsync(azurite, time: new FakeTimeProvider(Two.AddDays(5)));
        var messages = await app.Function<ScheduleCollection>().RunAsync(Tick(Two.AddDays(5)), CancellationToken.None);
        Assert.True(messages.Length >= 2, "the sample plans several document jobs");
        var collect = app.Function<CollectEvidence>();

        for (var i = 0; i < messages.Length - 1; i++)
        {
            await collect.RunAsync(messages[i], $"m-{i}", 1, CancellationToken.None);
        }

        Assert.Empty(await app.DrainAsync(QueueNames.AnalyzeRuns));
        await collect.RunAsync(messages[^1], "m-last", 1, CancellationToken.None);
        await collect.RunAsync(messages[^1], "m-last", 2, CancellationToken.None);
        await collect.RunAsync(messages[0], "m-0", 2, CancellationToken.None);

        Assert.Single(await app.DrainAsync(QueueNames.AnalyzeRuns));
    }

    [Fact]
    public async Task The_safety_net_names_the_missing_jobs_and_analyses_an_overdue_run()
    {
        var clock = new FakeTimeProvider(Two.AddDays(6));
        await using var app = await FunctionsTestApp.CreateAsync(azurite, time: clock);
        var messages = await app.Function<ScheduleCollection>().RunAsync(Tick(Two.AddDays(6)), CancellationToken.None);
        var lost = CollectionJob.FromJson(JsonNode.Parse(messages[^1]));
        for (var i = 0; i < messages.Length - 1; i++)
        {
            await app.Function<CollectEvidence>().RunAsync(messages[i], $"m-{i}", 1, CancellationToken.None);
        }

        // The runs table is shared with the other tests of the collection: look at this run's analysis only.
        var check = app.Function<CheckRuns>();
        await check.RunAsync(new TimerInfo(), CancellationToken.None);
        Assert.DoesNotContain((await app.DrainAsync(QueueNames.AnalyzeRuns)).Select(AnalysisRequest.Parse), a => a.RunId == lost.RunId);

        clock.Advance(TimeSpan.FromHours(7));
        await check.RunAsync(new TimerInfo(), CancellationToken.None);

        var analysis = Assert.Single((await app.DrainAsync(QueueNames.AnalyzeRuns)).Select(AnalysisRequest.Parse), a => a.RunId == lost.RunId);
        Assert.Equal(AnalysisRequest.Overdue, analysis.Reason);
        Assert.Contains(app.Logs, l => l.Contains(lost.JobId, StringComparison.Ordinal) && l.Contains("did not finish", StringComparison.Ordinal));
        Assert.Contains(await StoreProbe.ItemsAsync(app.Store), i => i.Kind == EvidenceKinds.CollectorError && i.JobId == lost.JobId);
    }

    private static TableClient Runs(FunctionsTestApp app) => app.Storage.Tables.GetTableClient(QueueNames.RunsTable);
}
