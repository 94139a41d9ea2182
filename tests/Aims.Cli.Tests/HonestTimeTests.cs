using System.IO.Compression;
using System.Text.Json;
using Aims.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Cli.Tests;

/// <summary>--as-of dates the analysis only: evidence, ledger and bundles carry the real clock, and a past analysis uses what was known then.</summary>
public sealed class HonestTimeTests : IDisposable
{
    private static readonly DateTimeOffset Today = new(2026, 12, 2, 10, 15, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new("aims-time");

    [Fact]
    public async Task A_run_as_of_a_past_date_stamps_the_real_time_and_its_digest_counts_only_evidence_observed_by_then()
    {
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var store = _dir.Combine("store");

        var (exit, _, errors) = await CliRunner.RunAtAsync(new FakeTimeProvider(Today), "run", "--config", config, "--store", store, "--as-of", "2026-03-01", "--out", _dir.Combine("out"));

        Assert.True(exit == ExitCodes.Ok, errors);
        var items = Directory.EnumerateFiles(Path.Combine(store, "items"), "*.json", SearchOption.AllDirectories).ToList();
        Assert.NotEmpty(items);
        foreach (var item in items)
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(item));
            Assert.Equal(Today, doc.RootElement.GetProperty("observedAt").GetDateTimeOffset());
        }

        Assert.All(File.ReadAllLines(Path.Combine(store, "ledger", "local.jsonl")), line => Assert.Contains("\"recordedAt\":\"2026-12-02T10:15:00.000Z\"", line));
        using var digest = JsonDocument.Parse(File.ReadAllBytes(_dir.Combine("out", "digest.json")));
        Assert.StartsWith("2026-03-01", digest.RootElement.GetProperty("asOf").GetString());
        // Nothing was observed by 1 March: no control can be ok, whatever the documents say.
        Assert.DoesNotContain(digest.RootElement.GetProperty("controls").EnumerateArray(), c => c.GetProperty("status").GetString() == "ok");

        var later = await CliRunner.RunAtAsync(new FakeTimeProvider(Today), "gaps", "--config", config, "--store", store, "--as-of", "2026-12-02", "--format", "json");
        using var now = JsonDocument.Parse(later.Output);
        Assert.Contains(now.RootElement.GetProperty("controls").EnumerateArray(), c => c.GetProperty("status").GetString() == "ok");
    }

    [Fact]
    public async Task The_bundle_of_a_run_holds_every_item_the_run_collected()
    {
        var config = RepositoryPaths.CopySample(_dir.Combine("contoso"));
        var clock = new FakeTimeProvider(Today);
        clock.AutoAdvanceAmount = TimeSpan.FromMilliseconds(5);

        var (exit, _, errors) = await CliRunner.RunAtAsync(clock, "run", "--config", config, "--store", _dir.Combine("store"), "--out", _dir.Combine("out"));

        Assert.True(exit == ExitCodes.Ok, errors);
        var stored = Directory.EnumerateFiles(_dir.Combine("store", "items"), "*.json", SearchOption.AllDirectories).Count();
        using var zip = ZipFile.OpenRead(_dir.Combine("out", "bundle.zip"));
        Assert.Equal(stored, zip.Entries.Count(e => e.FullName.StartsWith("evidence/items/", StringComparison.Ordinal)));
        using var manifest = JsonDocument.Parse(zip.GetEntry("manifest.json")!.Open());
        Assert.True(manifest.RootElement.GetProperty("createdAt").GetDateTimeOffset() > Today);
    }

    public void Dispose() => _dir.Dispose();
}
