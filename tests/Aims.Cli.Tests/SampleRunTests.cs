using System.IO.Compression;
using System.Text.Json;
using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>The README's main command on the sample organization, and what tooling relies on.</summary>
public sealed class SampleRunTests : IClassFixture<SampleRunTests.SampleRun>
{
    private readonly SampleRun _run;

    public SampleRunTests(SampleRun run) => _run = run;

    /// <summary>Runs the whole job once for the class: collect, analyse, digest, bundle.</summary>
    public sealed class SampleRun : IAsyncLifetime
    {
        public TempDirectory Dir { get; } = new("aims-cli");

        public string Config { get; private set; } = "";

        public string Store => Dir.Combine("store");

        public string Out => Dir.Combine("out");

        public (int Exit, string Output, string Errors) Result { get; private set; }

        public async Task InitializeAsync()
        {
            Config = RepositoryPaths.CopySample(Dir.Combine("contoso"));
            Result = await CliRunner.RunAsync("run", "--config", Config, "--store", Store, "--as-of", "2026-12-01", "--out", Out);
        }

        public Task DisposeAsync()
        {
            Dir.Dispose();
            return Task.CompletedTask;
        }
    }

    [Fact]
    public void Run_exits_0_and_leaves_the_digest_and_a_bundle()
    {
        Assert.True(_run.Result.Exit == ExitCodes.Ok, _run.Result.Errors);
        foreach (var file in new[] { "digest.html", "digest.json", "digest.md", "bundle.zip" })
        {
            Assert.True(new FileInfo(Path.Combine(_run.Out, file)).Length > 0, file);
        }
    }

    [Fact]
    public async Task Gaps_json_gives_every_annex_a_control_a_status()
    {
        var (exit, output, errors) = await CliRunner.RunAsync("gaps", "--config", _run.Config, "--store", _run.Store, "--as-of", "2026-12-01", "--format", "json");

        Assert.True(exit == ExitCodes.Ok, errors);
        using var doc = JsonDocument.Parse(output);
        var controls = doc.RootElement.GetProperty("controls").EnumerateArray().ToList();
        string[] statuses = ["ok", "missing", "stale", "expiring", "failing", "collector-error", "not-applicable"];
        Assert.Equal(38, controls.Count(c => c.GetProperty("id").GetString()!.StartsWith("A.", StringComparison.Ordinal)));
        Assert.All(controls, c => Assert.Contains(c.GetProperty("status").GetString(), statuses));
        Assert.All(controls, c => Assert.Equal(JsonValueKind.Array, c.GetProperty("requirements").ValueKind));
        Assert.Equal(statuses.Order(), controls.Select(c => c.GetProperty("status").GetString()).Distinct().Order());
    }

    [Fact]
    public async Task Gaps_for_one_ai_system_show_its_overdue_impact_assessment()
    {
        // On a terminal wide enough that the reason fits on one line
        var (exit, output, errors) = await CliRunner.RunAsync(200, "gaps", "--config", _run.Config, "--store", _run.Store, "--as-of", "2026-12-01", "--system", "support-assistant");

        Assert.True(exit == ExitCodes.Ok, errors);
        Assert.Contains("AI system support-assistant", output);
        Assert.Contains("Review of 'Impact assessment: Customer support assistant' was due 2026-08-01", output);
    }

    [Fact]
    public async Task Verify_passes_on_the_bundle_and_names_a_changed_evidence_file()
    {
        var bundle = Path.Combine(_run.Out, "bundle.zip");
        var (exit, output, _) = await CliRunner.RunAsync("verify", bundle);
        Assert.Equal(ExitCodes.Ok, exit);
        Assert.StartsWith("intact", output);

        var tampered = _run.Dir.Combine("tampered.zip");
        File.Copy(bundle, tampered);
        string changed;
        using (var zip = ZipFile.Open(tampered, ZipArchiveMode.Update))
        {
            var entry = zip.Entries.First(e => e.FullName.StartsWith("evidence/items/", StringComparison.Ordinal));
            changed = entry.FullName;
            byte[] bytes;
            using (var s = entry.Open())
            using (var m = new MemoryStream())
            {
                s.CopyTo(m);
                bytes = m.ToArray();
            }

            bytes[bytes.Length / 2] ^= 0x01;
            entry.Delete();
            using var w = zip.CreateEntry(changed).Open();
            w.Write(bytes);
        }

        (exit, output, _) = await CliRunner.RunAsync("verify", tampered);

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains(changed, output);
    }

    [Fact]
    public async Task Verify_store_passes_then_names_an_item_overwritten_out_of_band()
    {
        var copy = _run.Dir.Combine("store-copy");
        foreach (var file in Directory.EnumerateFiles(_run.Store, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(copy, Path.GetRelativePath(_run.Store, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("verify", "--store", copy)).Exit);

        var item = Directory.EnumerateFiles(Path.Combine(copy, "items"), "*.json", SearchOption.AllDirectories).First();
        File.WriteAllText(item, File.ReadAllText(item).Replace("\"summary\":\"", "\"summary\":\"(edited) ", StringComparison.Ordinal));
        var (exit, output, _) = await CliRunner.RunAsync("verify", "--store", copy);

        Assert.Equal(ExitCodes.VerificationFailed, exit);
        Assert.Contains(Path.GetFileName(item), output);
    }

    [Fact]
    public async Task A_bundle_for_one_control_holds_only_its_evidence()
    {
        var path = _run.Dir.Combine("a22.zip");
        var (exit, _, errors) = await CliRunner.RunAsync("bundle", "--config", _run.Config, "--store", _run.Store, "--as-of", "2026-12-01",
            "--from", "2026-02-16", "--to", "2026-12-01", "--controls", "A.2.2", "--out", path);

        Assert.True(exit == ExitCodes.Ok, errors);
        using var zip = ZipFile.OpenRead(path);
        var items = zip.Entries.Where(e => e.FullName.StartsWith("evidence/items/", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(items);
        foreach (var entry in items)
        {
            using var doc = JsonDocument.Parse(entry.Open());
            Assert.Contains("A.2.2", doc.RootElement.GetProperty("controls").EnumerateArray().Select(c => c.GetString()));
        }
    }

    [Fact]
    public async Task A_bundle_with_an_unknown_control_is_bad_input()
    {
        var (exit, _, errors) = await CliRunner.RunAsync("bundle", "--config", _run.Config, "--store", _run.Store, "--controls", "A.77", "--out", _run.Dir.Combine("x.zip"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("'A.77'", errors);
        Assert.False(File.Exists(_run.Dir.Combine("x.zip")));
    }
}
