using System.Text.Json;
using Aims.Testing;
using Aims.Testing.Azurite;

namespace Aims.Cli.Tests;

[CollectionDefinition(AzuriteCollection.Name)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>;

/// <summary>The sample against Azurite through a connection string gives what the folder store gives.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzuriteRunTests(AzuriteFixture azurite) : IDisposable
{
    private readonly TempDirectory _dir = new("aims-azurite-cli");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Run_against_azurite_gives_the_same_gap_statuses_as_the_folder_store_and_verifies()
    {
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var blobStore = $"{azurite.ConnectionString};Container={AzuriteFixture.UniqueName("cli")}";
        var folderStore = _dir.Combine("store");

        var blobRun = await CliRunner.RunAsync("run", "--config", config, "--store", blobStore, "--as-of", "2026-12-01", "--out", _dir.Combine("out-blob"));
        var folderRun = await CliRunner.RunAsync("run", "--config", config, "--store", folderStore, "--as-of", "2026-12-01", "--out", _dir.Combine("out-folder"));
        Assert.True(blobRun.Exit == ExitCodes.Ok, blobRun.Errors);
        Assert.True(folderRun.Exit == ExitCodes.Ok, folderRun.Errors);

        Assert.Equal(await StatusesAsync(config, folderStore), await StatusesAsync(config, blobStore));
        var verify = await CliRunner.RunAsync("verify", "--store", blobStore);
        Assert.True(verify.Exit == ExitCodes.Ok, verify.Output);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, blobRun.Errors + blobRun.Output + verify.Output);
    }

    private static async Task<List<string>> StatusesAsync(string config, string store)
    {
        var (exit, output, errors) = await CliRunner.RunAsync("gaps", "--config", config, "--store", store, "--as-of", "2026-12-01", "--format", "json");
        Assert.True(exit == ExitCodes.Ok, errors);
        using var doc = JsonDocument.Parse(output);
        return doc.RootElement.GetProperty("requirements").EnumerateArray()
            .Select(r => $"{r.GetProperty("id").GetString()}={r.GetProperty("status").GetString()}").Order().ToList();
    }
}
