using Aims.Functions.Functions;
using Aims.Functions.WorkerHost;
using Aims.Testing;
using Aims.Testing.Azurite;

namespace Aims.Functions.Tests.Worker;

/// <summary>What the published worker tells the Functions host in its log: misspelt settings by name, and never a secret.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WorkerLoggingTests(AzuriteFixture azurite)
{
    private const string PlantedToken = "ghp_" + "Zq8hT3vLw0RrPk2Nd9Xc4Ye6Ub1Fa7Sj5Gm";

    [Fact]
    public async Task A_misspelt_setting_is_named_at_start_with_the_closest_known_one_and_the_sample_raises_no_other()
    {
        using var folder = new TempDirectory();
        RepositoryPaths.CopySample(folder.Path);
        var environment = Environment(folder);
        environment["Aims__Organisation"] = "Contoso Ltd";

        await using var worker = await FunctionsWorkerHost.StartAsync(await PublishedWorker.DirectoryAsync(), PublishedWorker.Assembly, environment, TimeSpan.FromSeconds(90));
        var warnings = await WaitForAsync(worker, logs => logs.Where(l => l.Contains("is not a setting", StringComparison.Ordinal)).ToList());

        var warning = Assert.Single(warnings);
        Assert.Contains("Aims:Organisation is not a setting AIMS reads here; it is ignored. Did you mean Aims:Organization?", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_secret_in_what_the_worker_logs_reaches_the_host_masked()
    {
        using var folder = new TempDirectory();
        RepositoryPaths.CopySample(folder.Path);
        await using var worker = await FunctionsWorkerHost.StartAsync(await PublishedWorker.DirectoryAsync(), PublishedWorker.Assembly, Environment(folder), TimeSpan.FromSeconds(90));

        // A bundle-builds message that names no bundle is logged (its first 200 characters) and dropped
        var (inputs, metadata) = FunctionsWorkerHost.QueueMessage("message", $"{{\"note\":\"token {PlantedToken}\"}}", Guid.NewGuid().ToString("N"), 1, DateTimeOffset.UtcNow);
        await worker.InvokeAsync(BuildBundle.Name, inputs, metadata);

        var line = Assert.Single(await WaitForAsync(worker, logs => logs.Where(l => l.Contains("names no bundle", StringComparison.Ordinal)).ToList()));
        Assert.DoesNotContain(PlantedToken, line, StringComparison.Ordinal);
        Assert.Contains("token ", line, StringComparison.Ordinal);
        Assert.DoesNotContain(worker.Logs, l => l.Contains(PlantedToken, StringComparison.Ordinal));
    }

    private Dictionary<string, string?> Environment(TempDirectory folder) => new()
    {
        ["AzureWebJobsStorage"] = azurite.ConnectionString,
        ["Aims__Store"] = Path.Combine(folder.Path, "store"),
        ["AIMS_CONFIG"] = Path.Combine(folder.Path, "aims.json"),
        ["AIMS_COLLECT_SCHEDULE"] = "0 0 2 * * *",
        ["AIMS_CHECK_RUNS_SCHEDULE"] = "0 30 * * * *",
    };

    /// <summary>Log lines travel over the gRPC stream after the call that caused them: wait briefly for them.</summary>
    private static async Task<List<string>> WaitForAsync(FunctionsWorkerHost worker, Func<IReadOnlyList<string>, List<string>> select)
    {
        for (var i = 0; i < 50; i++)
        {
            if (select(worker.Logs) is { Count: > 0 } found)
            {
                await Task.Delay(200);
                return select(worker.Logs);
            }

            await Task.Delay(100);
        }

        return [];
    }
}
