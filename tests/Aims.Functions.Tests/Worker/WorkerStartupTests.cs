using Aims.Functions.WorkerHost;
using Aims.Testing;

namespace Aims.Functions.Tests.Worker;

/// <summary>The published worker's start, as the host sees it.</summary>
public sealed class WorkerStartupTests
{
    [Fact]
    public async Task A_bad_setting_stops_the_worker_at_start_with_one_line_naming_it()
    {
        using var folder = new TempDirectory();
        var environment = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = "UseDevelopmentStorage=true",
            ["Aims__Store"] = folder.Path,
            ["Aims__Sources__GitHub__Organization"] = "contoso",
            ["Aims__Sources__GitHub__Token"] = "ghp_startuptesttoken00000000000000000000",
        };

        var app = await PublishedWorker.DirectoryAsync();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() =>
            FunctionsWorkerHost.StartAsync(app, PublishedWorker.Assembly, environment, TimeSpan.FromSeconds(60)));

        Assert.Contains("exited with code 2", error.Message, StringComparison.Ordinal);
        var line = Assert.Single(error.Message.Split('\n'), l => l.Contains("aims-functions:", StringComparison.Ordinal));
        Assert.Contains("Aims:Sources:GitHub:Topic", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
    }
}
