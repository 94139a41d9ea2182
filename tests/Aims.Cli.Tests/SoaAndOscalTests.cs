using System.Text.Json;
using System.Text.RegularExpressions;
using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>The Statement of Applicability and OSCAL assessment results of the sample organization.</summary>
public sealed partial class SoaAndOscalTests(SignedRun run) : IClassFixture<SignedRun>
{
    [Fact]
    public async Task Soa_csv_lists_the_38_annex_a_controls_with_applicability_and_justification()
    {
        var (exit, output, errors) = await CliRunner.RunAsync("soa", "--config", run.Config, "--store", run.Store, "--format", "csv");

        Assert.True(exit == ExitCodes.Ok, errors);
        var lines = output.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("control_id,title,applicability,justification,status,requirement_ids,evidence_kinds,waivers,evidence,finding", lines[0]);
        Assert.Equal(38, lines.Length - 1);
        Assert.Contains(lines, l => l.StartsWith("A.10.4,", StringComparison.Ordinal) && l.Contains(",excluded,\"Contoso's AI systems serve internal staff only", StringComparison.Ordinal) && l.Contains(",not-applicable,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("A.10.3,", StringComparison.Ordinal) && l.Contains(",applicable,The fraud model", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("A.2.2,", StringComparison.Ordinal) && l.Contains("(not stated: included by default)", StringComparison.Ordinal));
        Assert.DoesNotContain("finding:", errors);
    }

    [Fact]
    public async Task An_exclusion_without_a_justification_is_a_finding()
    {
        using var dir = new TempDirectory("aims-soa");
        var config = RepositoryPaths.CopySample(dir.Combine("contoso"));
        var requirements = dir.Combine("contoso", "requirements.yaml");
        await File.AppendAllTextAsync(requirements, "  - control: A.8.5\n    applicable: false\n");

        var (exit, output, errors) = await CliRunner.RunAsync("soa", "--config", config, "--store", dir.Combine("empty-store"), "--format", "json");

        Assert.True(exit == ExitCodes.Ok, errors);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(1, doc.RootElement.GetProperty("findingCount").GetInt32());
        var a85 = doc.RootElement.GetProperty("controls").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "A.8.5");
        Assert.False(a85.GetProperty("applicable").GetBoolean());
        Assert.Contains("A.8.5 is excluded without a justification", a85.GetProperty("finding").GetString());
        Assert.Contains("requirements.yaml:", a85.GetProperty("finding").GetString());
        Assert.Contains("finding: A.8.5 is excluded without a justification", errors);
    }

    [Fact]
    public async Task A_control_stated_twice_in_applicability_is_bad_input_naming_the_line()
    {
        using var dir = new TempDirectory("aims-soa");
        var config = RepositoryPaths.CopySample(dir.Combine("contoso"));
        await File.AppendAllTextAsync(dir.Combine("contoso", "requirements.yaml"), "  - control: a.10.4\n    applicable: true\n");

        var (exit, _, errors) = await CliRunner.RunAsync("soa", "--config", config, "--store", dir.Combine("empty-store"));

        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("applicability of control 'A.10.4' is stated twice", errors);
    }

    [Fact]
    public async Task The_bundles_oscal_file_has_an_observation_per_item_and_a_finding_per_control_and_every_reference_resolves()
    {
        using var zip = System.IO.Compression.ZipFile.OpenRead(run.Bundle);
        var items = zip.Entries.Where(e => e.FullName.StartsWith("evidence/items/", StringComparison.Ordinal)).Select(e => e.FullName).ToHashSet();
        using var doc = JsonDocument.Parse(zip.GetEntry("oscal/assessment-results.json")!.Open());
        var ar = doc.RootElement.GetProperty("assessment-results");

        AssertUuid(ar.GetProperty("uuid"));
        Assert.Equal("1.1.2", ar.GetProperty("metadata").GetProperty("oscal-version").GetString());
        AssertDateTime(ar.GetProperty("metadata").GetProperty("last-modified"));
        var resources = ar.GetProperty("back-matter").GetProperty("resources").EnumerateArray().ToDictionary(r => r.GetProperty("uuid").GetString()!);
        Assert.Contains(ar.GetProperty("import-ap").GetProperty("href").GetString()![1..], resources.Keys);
        var result = ar.GetProperty("results").EnumerateArray().Single();
        foreach (var required in new[] { "uuid", "title", "description", "start", "reviewed-controls" })
        {
            Assert.True(result.TryGetProperty(required, out _), required);
        }

        var reviewed = result.GetProperty("reviewed-controls").GetProperty("control-selections")[0].GetProperty("include-controls").EnumerateArray().Select(c => c.GetProperty("control-id").GetString()!).ToList();
        Assert.Equal(41, reviewed.Count);
        Assert.All(reviewed, id => Assert.Matches(Token(), id));

        var observations = result.GetProperty("observations").EnumerateArray().ToList();
        Assert.Equal(items.Count, observations.Count);
        var hrefs = new HashSet<string>();
        foreach (var o in observations)
        {
            AssertUuid(o.GetProperty("uuid"));
            AssertDateTime(o.GetProperty("collected"));
            Assert.Equal("TEST", o.GetProperty("methods")[0].GetString());
            var evidence = o.GetProperty("relevant-evidence")[0];
            Assert.False(string.IsNullOrEmpty(evidence.GetProperty("description").GetString()));
            var resource = resources[evidence.GetProperty("href").GetString()![1..]];
            var rlink = resource.GetProperty("rlinks")[0];
            hrefs.Add(rlink.GetProperty("href").GetString()!);
            Assert.Equal("SHA-256", rlink.GetProperty("hashes")[0].GetProperty("algorithm").GetString());
            Assert.Equal(64, rlink.GetProperty("hashes")[0].GetProperty("value").GetString()!.Length);
        }

        Assert.Equal(items, hrefs);
        var observationIds = observations.Select(o => o.GetProperty("uuid").GetString()).ToHashSet();
        var findings = result.GetProperty("findings").EnumerateArray().ToList();
        Assert.Equal(41, findings.Count);
        foreach (var finding in findings)
        {
            var target = finding.GetProperty("target");
            Assert.Equal("objective-id", target.GetProperty("type").GetString());
            Assert.Contains(target.GetProperty("target-id").GetString(), reviewed);
            Assert.Contains(target.GetProperty("status").GetProperty("state").GetString(), new[] { "satisfied", "not-satisfied" });
            if (finding.TryGetProperty("related-observations", out var related))
            {
                Assert.All(related.EnumerateArray(), r => Assert.Contains(r.GetProperty("observation-uuid").GetString(), observationIds));
            }
        }

        Assert.Contains(findings, f => f.GetProperty("target").GetProperty("status").GetProperty("state").GetString() == "not-satisfied");
    }

    [Fact]
    public async Task Aims_oscal_writes_the_analysis_as_assessment_results()
    {
        var (exit, output, errors) = await CliRunner.RunAsync("oscal", "--config", run.Config, "--store", run.Store);

        Assert.True(exit == ExitCodes.Ok, errors);
        using var doc = JsonDocument.Parse(output);
        var result = doc.RootElement.GetProperty("assessment-results").GetProperty("results")[0];
        Assert.NotEmpty(result.GetProperty("observations").EnumerateArray());
        Assert.Equal(41, result.GetProperty("findings").GetArrayLength());
    }

    private static void AssertUuid(JsonElement value) => Assert.Matches(Uuid(), value.GetString()!);

    private static void AssertDateTime(JsonElement value) => Assert.Matches(DateTime(), value.GetString()!);

    [GeneratedRegex("^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[45][0-9A-Fa-f]{3}-[89ABab][0-9A-Fa-f]{3}-[0-9A-Fa-f]{12}$")]
    private static partial Regex Uuid();

    [GeneratedRegex("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$")]
    private static partial Regex DateTime();

    [GeneratedRegex("^(\\p{L}|_)(\\p{L}|\\p{N}|[.\\-_])*$")]
    private static partial Regex Token();
}
