using System.Text.Json.Nodes;
using Aims.Evidence.Collection;
using Aims.Functions.Tests.Infrastructure;

namespace Aims.Functions.Tests.Contract;

/// <summary>ScheduleCollection as the host invokes it: a timer payload in, queue messages out.</summary>
public sealed class ScheduleCollectionTests
{
    private static readonly Dictionary<string, string?> Nightly = new() { ["AIMS_COLLECT_SCHEDULE"] = "0 0 2 * * *" };

    [Fact]
    public async Task Fans_out_one_json_object_per_job_under_the_jobs_output()
    {
        await using var host = await HandlerHost.StartAsync(Nightly);

        var answer = await host.InvokeAsync("ScheduleCollection", HostPayloads.Timer("ScheduleCollection", At(2, 0, 0, 120)));

        Assert.Equal(200, answer.Status);
        var jobs = Assert.IsType<JsonArray>(answer.Outputs["jobs"]);
        Assert.NotEmpty(jobs);
        // Never bare strings: the host would try to base64-decode them.
        Assert.All(jobs, j => Assert.IsType<JsonObject>(j));
        var parsed = jobs.Select(j => CollectionJob.FromJson(j)).ToList();
        Assert.All(parsed, j => Assert.Equal("run-20261123T020000Z", j.RunId));
        Assert.Equal(["Documents", "Inventory"], parsed.Select(j => j.Source).Distinct().Order().ToArray());
        Assert.Equal(parsed.Count, parsed.Select(j => j.JobId).Distinct().Count());
        Assert.Null(answer.Body!["ReturnValue"]);
        Assert.Contains($"scheduled {jobs.Count} job(s) on collect-jobs", answer.AllLogs);
    }

    [Fact]
    public async Task Names_the_run_after_the_scheduled_occurrence_when_the_status_is_null()
    {
        await using var host = await HandlerHost.StartAsync(Nightly);

        // Fired a little early (clock skew) and, separately, re-fired minutes later: both are the 02:00 tick.
        var early = await host.InvokeAsync("ScheduleCollection", HostPayloads.Timer("ScheduleCollection", At(1, 59, 59, 700)));
        var late = await host.InvokeAsync("ScheduleCollection", HostPayloads.Timer("ScheduleCollection", At(2, 7, 12, 0)));

        Assert.Equal(RunIds(early), RunIds(late));
        Assert.Equal(["run-20261123T020000Z"], RunIds(early));
        Assert.Equal(early.Outputs.ToJsonString(), late.Outputs.ToJsonString());
    }

    [Fact]
    public async Task Uses_the_status_Next_as_the_occurrence_when_the_schedule_monitor_sends_it()
    {
        await using var host = await HandlerHost.StartAsync();

        var answer = await host.InvokeAsync("ScheduleCollection",
            HostPayloads.Timer("ScheduleCollection", At(2, 0, 0, 350), last: At(2, 0, 0, 0).AddDays(-1), next: At(2, 0, 0, 0)));

        Assert.Equal(200, answer.Status);
        Assert.Equal(["run-20261123T020000Z"], RunIds(answer));
    }

    [Fact]
    public async Task Plans_a_past_due_tick_as_the_run_it_missed_and_says_so()
    {
        await using var host = await HandlerHost.StartAsync(Nightly);
        var missed = At(2, 0, 0, 0).AddDays(-1);

        var answer = await host.InvokeAsync("ScheduleCollection",
            HostPayloads.Timer("ScheduleCollection", At(9, 30, 0, 0), last: missed.AddDays(-1), next: missed, isPastDue: true));

        Assert.Equal(["run-20261122T020000Z"], RunIds(answer));
        Assert.Contains("past due", answer.AllLogs);
    }

    [Fact]
    public async Task Reads_a_timer_value_the_host_sent_as_json_text()
    {
        await using var host = await HandlerHost.StartAsync(Nightly);
        var payload = HostPayloads.Timer("ScheduleCollection", At(2, 0, 1, 0));
        payload["Data"]!["tick"] = payload["Data"]!["tick"]!.ToJsonString();

        var answer = await host.InvokeAsync("ScheduleCollection", payload);

        Assert.Equal(["run-20261123T020000Z"], RunIds(answer));
    }

    [Fact]
    public async Task Answers_400_to_a_body_that_is_not_an_invocation()
    {
        await using var host = await HandlerHost.StartAsync();
        using var content = new StringContent("not json", System.Text.Encoding.UTF8, "application/json");

        using var response = await host.Client.PostAsync("ScheduleCollection", content);

        Assert.Equal(400, (int)response.StatusCode);
        Assert.Contains("not JSON", await response.Content.ReadAsStringAsync());
    }

    private static DateTimeOffset At(int hour, int minute, int second, int millisecond) =>
        new(2026, 11, 23, hour, minute, second, millisecond, TimeSpan.Zero);

    private static string[] RunIds(HostAnswer answer) =>
        ((JsonArray)answer.Outputs["jobs"]!).Select(j => j!["runId"]!.GetValue<string>()).Distinct().ToArray();
}
