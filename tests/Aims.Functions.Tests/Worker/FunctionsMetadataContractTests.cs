using System.Text.Json.Nodes;
using Aims.Functions.Hosting;

namespace Aims.Functions.Tests.Worker;

/// <summary>
/// The binding list the worker SDK generates (functions.metadata in the published app) is what the Functions host
/// acts on: triggers, queue names, connection settings, schedules and auth levels are pinned here.
/// </summary>
public sealed class FunctionsMetadataContractTests
{
    private static async Task<Dictionary<string, JsonArray>> FunctionsAsync()
    {
        var text = await File.ReadAllTextAsync(Path.Combine(await PublishedWorker.DirectoryAsync(), "functions.metadata"));
        return JsonNode.Parse(text)!.AsArray().ToDictionary(f => f!["name"]!.GetValue<string>(), f => f!["bindings"]!.AsArray());
    }

    private static JsonObject Trigger(JsonArray bindings) =>
        bindings.Select(b => b!.AsObject()).Single(b => b["type"]!.GetValue<string>().EndsWith("Trigger", StringComparison.Ordinal));

    [Fact]
    public async Task The_app_publishes_exactly_its_functions()
    {
        Assert.Equal(
            ["AnalyzeGaps", "BuildBundle", "Bundles", "CheckRuns", "CollectEvidence", "ProcessPoison", "ScheduleCollection"],
            (await FunctionsAsync()).Keys.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("CollectEvidence", QueueNames.CollectJobs)]
    [InlineData("ProcessPoison", QueueNames.CollectJobsPoison)]
    [InlineData("AnalyzeGaps", QueueNames.AnalyzeRuns)]
    [InlineData("BuildBundle", QueueNames.BundleBuilds)]
    public async Task Queue_functions_trigger_on_their_queue_through_AzureWebJobsStorage(string function, string queue)
    {
        var trigger = Trigger((await FunctionsAsync())[function]);

        Assert.Equal("queueTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal(queue, trigger["queueName"]!.GetValue<string>());
        Assert.Equal(AppSettingNames.Storage, trigger["connection"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("ScheduleCollection", "%AIMS_COLLECT_SCHEDULE%")]
    [InlineData("CheckRuns", "%AIMS_CHECK_RUNS_SCHEDULE%")]
    public async Task Timers_read_their_schedule_from_an_app_setting(string function, string schedule)
    {
        var trigger = Trigger((await FunctionsAsync())[function]);

        Assert.Equal("timerTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal(schedule, trigger["schedule"]!.GetValue<string>());
    }

    [Fact]
    public async Task ScheduleCollection_fans_out_through_a_queue_output_on_collect_jobs()
    {
        var output = (await FunctionsAsync())["ScheduleCollection"].Select(b => b!.AsObject()).Single(b => b["direction"]!.GetValue<string>() == "Out");

        Assert.Equal("queue", output["type"]!.GetValue<string>());
        Assert.Equal("$return", output["name"]!.GetValue<string>());
        Assert.Equal(QueueNames.CollectJobs, output["queueName"]!.GetValue<string>());
        Assert.Equal(AppSettingNames.Storage, output["connection"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_bundles_api_needs_a_function_key_on_get_and_post()
    {
        var trigger = Trigger((await FunctionsAsync())["Bundles"]);

        Assert.Equal("httpTrigger", trigger["type"]!.GetValue<string>());
        Assert.Equal("Function", trigger["authLevel"]!.GetValue<string>());
        Assert.Equal("bundles/{id?}", trigger["route"]!.GetValue<string>());
        Assert.Equal(["get", "post"], trigger["methods"]!.AsArray().Select(m => m!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_publish_output_is_an_isolated_worker_without_custom_handler_files()
    {
        var folder = await PublishedWorker.DirectoryAsync();
        var config = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "worker.config.json")))!;
        var host = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(folder, "host.json")))!;

        Assert.Equal("dotnet-isolated", config["description"]!["language"]!.GetValue<string>());
        Assert.Equal(PublishedWorker.Assembly, config["description"]!["defaultWorkerPath"]!.GetValue<string>());
        Assert.Null(host["customHandler"]);
        Assert.Equal(5, host["extensions"]!["queues"]!["maxDequeueCount"]!.GetValue<int>());
        Assert.Empty(Directory.EnumerateFiles(folder, "function.json", SearchOption.AllDirectories));
        Assert.True(File.Exists(Path.Combine(folder, "extensions.json")));
    }
}
