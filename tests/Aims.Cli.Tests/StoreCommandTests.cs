using System.Net;
using System.Net.Sockets;
using Aims.Testing;
using Aims.Testing.Azurite;
using Microsoft.Data.Sqlite;

namespace Aims.Cli.Tests;

/// <summary>What the CLI says about stores: none there, unreachable, an index that disagrees with the ledger.</summary>
public sealed class StoreCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new("aims-store-cli");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Verify_of_a_store_that_does_not_exist_exits_2_naming_the_path()
    {
        var missing = _dir.Combine("no", "such", "store");

        var (exit, output, errors) = await CliRunner.RunAsync("verify", "--store", missing);

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains(missing, errors, StringComparison.Ordinal);
        Assert.DoesNotContain("intact", output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task Verify_of_an_empty_store_does_not_certify_it_intact()
    {
        Directory.CreateDirectory(_dir.Combine("empty"));

        var (exit, output, _) = await CliRunner.RunAsync("verify", "--store", _dir.Combine("empty"));

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains("holds no evidence", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gaps_against_a_closed_port_prints_one_line_and_exits_3()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var store = $"DefaultEndpointsProtocol=http;AccountName={AzuriteFixture.AccountName};AccountKey={AzuriteFixture.AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{port}/{AzuriteFixture.AccountName};TableEndpoint=http://127.0.0.1:{port}/{AzuriteFixture.AccountName}";

        var (exit, _, errors) = await CliRunner.RunAsync("gaps", "--config", config, "--store", store, "--as-of", "2026-12-01");

        Assert.Equal(ExitCodes.Failed, exit);
        var line = Assert.Single(errors.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("error:", line, StringComparison.Ordinal);
        Assert.DoesNotContain(AzuriteFixture.AccountKey, errors, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_index_edit_is_named_by_verify_and_index_rebuild_restores_the_gap_report()
    {
        // Given a sample run on a folder store and its gap statuses
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var store = _dir.Combine("store");
        var run = await CliRunner.RunAsync("run", "--config", config, "--store", store, "--as-of", "2026-12-01", "--out", _dir.Combine("out"));
        Assert.True(run.Exit == ExitCodes.Ok, run.Errors);
        var before = await CliRunner.RunAsync("gaps", "--config", config, "--store", store, "--as-of", "2026-12-01", "--format", "json");

        // When one subject's index row is deleted
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(store, "state", "index.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM latest WHERE subject = (SELECT subject FROM latest ORDER BY subject LIMIT 1)";
            Assert.Equal(1, await command.ExecuteNonQueryAsync());
        }

        SqliteConnection.ClearAllPools();

        // Then verify names the difference (exit 1), and a rebuild gives back the same report and a clean verify
        var verify = await CliRunner.RunAsync("verify", "--store", store);
        Assert.Equal(ExitCodes.VerificationFailed, verify.Exit);
        Assert.Contains("index rebuild", verify.Output, StringComparison.Ordinal);

        var rebuild = await CliRunner.RunAsync("index", "rebuild", "--store", store);
        Assert.True(rebuild.Exit == ExitCodes.Ok, rebuild.Errors);
        var after = await CliRunner.RunAsync("gaps", "--config", config, "--store", store, "--as-of", "2026-12-01", "--format", "json");
        Assert.Equal(before.Output, after.Output);
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("verify", "--store", store)).Exit);
    }
}
