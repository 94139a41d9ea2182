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

    [Fact]
    public async Task The_evidence_container_only_ever_gets_create_only_writes_and_an_unchanged_rerun_writes_nothing()
    {
        // Given the Blob endpoint behind a recording proxy (the index and state go to their own table and container)
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var container = AzuriteFixture.UniqueName("recorded");
        await using var proxy = await FaultInjectingProxy.StartAsync(new Uri(azurite.BlobEndpoint.GetLeftPart(UriPartial.Authority) + "/"), (_, _) => Fault.None, TimeSpan.Zero);
        var store = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};" +
            $"BlobEndpoint={new Uri(proxy.BaseUri, AzuriteFixture.AccountName)};TableEndpoint={azurite.TableEndpoint};Container={container}";

        // When the sample runs, and then runs again unchanged
        var first = await CliRunner.RunAsync("run", "--config", config, "--store", store, "--as-of", "2026-12-01", "--out", _dir.Combine("out-1"));
        Assert.True(first.Exit == ExitCodes.Ok, first.Errors);
        var firstRun = proxy.Exchanges.ToList();
        var second = await CliRunner.RunAsync("run", "--config", config, "--store", store, "--as-of", "2026-12-01", "--out", _dir.Combine("out-2"));
        Assert.True(second.Exit == ExitCodes.Ok, second.Errors);
        var secondRun = proxy.Exchanges.Skip(firstRun.Count).ToList();

        // Then every write to the evidence container was create-only, no name was written twice, nothing was deleted,
        // and the re-run changed nothing there
        var prefix = $"/{AzuriteFixture.AccountName}/{container}/";
        static bool IsWrite(ProxiedExchange e) => e.Method == "PUT" && e.Comp is "" or "blocklist";
        var evidence = firstRun.Concat(secondRun).Where(e => e.Path.StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Contains(evidence, IsWrite);
        Assert.All(evidence.Where(IsWrite), e => Assert.Equal("*", e.IfNoneMatch));
        Assert.DoesNotContain(evidence, e => e.Method == "DELETE");
        var written = evidence.Where(e => IsWrite(e) && e.Status is >= 200 and < 300).GroupBy(e => e.Path).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(written);
        Assert.DoesNotContain(secondRun, e => e.Path.StartsWith(prefix, StringComparison.Ordinal) && e.Method == "PUT" && e.Status is >= 200 and < 300);
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
