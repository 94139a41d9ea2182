using System.Text;
using System.Text.Json;
using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>
/// <c>aims gaps</c> on a store where one item's bytes were changed so that they are no longer an item at all: the
/// analysis still runs, and that item is an "altered" finding that fails its requirement, never a store failure.
/// </summary>
public sealed class AlteredItemTests : IClassFixture<AlteredItemTests.CollectedSample>
{
    private readonly CollectedSample _sample;

    public AlteredItemTests(CollectedSample sample) => _sample = sample;

    /// <summary>The sample collected once into a folder store, and its gap report as JSON.</summary>
    public sealed class CollectedSample : IAsyncLifetime
    {
        public TempDirectory Dir { get; } = new("aims-altered");

        public string Config { get; private set; } = "";

        public string Store => Dir.Combine("store");

        public string IntactReport { get; private set; } = "";

        public async Task InitializeAsync()
        {
            Config = RepositoryPaths.CopySample(Dir.Combine("contoso"));
            var collect = await CliRunner.RunAsync("collect", "--config", Config, "--store", Store);
            Assert.True(collect.Exit == ExitCodes.Ok, collect.Errors);
            var gaps = await CliRunner.RunAsync("gaps", "--config", Config, "--store", Store, "--as-of", "2026-12-01", "--format", "json");
            Assert.True(gaps.Exit == ExitCodes.Ok, gaps.Errors);
            IntactReport = gaps.Output;
        }

        public Task DisposeAsync()
        {
            Dir.Dispose();
            return Task.CompletedTask;
        }
    }

    public static TheoryData<string> Alterations => ["invalid-utf8-in-facts", "invalid-utf8-in-summary", "not-json", "wrong-shape"];

    [Theory]
    [MemberData(nameof(Alterations))]
    public async Task Gaps_reports_an_item_that_is_no_longer_an_item_as_altered_and_fails_its_requirement(string alteration)
    {
        // Given the collected store, and a requirement that one passing subject satisfies
        var (requirementId, itemId) = PassingSubject(_sample.IntactReport);
        var file = Directory.EnumerateFiles(Path.Combine(_sample.Store, "items"), $"{itemId}.json", SearchOption.AllDirectories).Single();

        // When that subject's stored item is changed into something that is not an item
        var bytes = await File.ReadAllBytesAsync(file);
        int exit;
        string output, errors;
        try
        {
            await File.WriteAllBytesAsync(file, Alter(bytes, alteration));
            (exit, output, errors) = await CliRunner.RunAsync("gaps", "--config", _sample.Config, "--store", _sample.Store, "--as-of", "2026-12-01", "--format", "json");
        }
        finally
        {
            // The next case starts from the intact store.
            await File.WriteAllBytesAsync(file, bytes);
        }

        // Then gaps completes as for any analysis with failing requirements (not exit 3, not a crash), and the item is
        // an "altered" finding that fails the requirement
        Assert.True(exit == ExitCodes.Ok, $"exit {exit}: {errors}");
        Assert.Equal("", errors);
        using var report = JsonDocument.Parse(output);
        var requirement = report.RootElement.GetProperty("requirements").EnumerateArray().Single(r => r.GetProperty("id").GetString() == requirementId);
        Assert.Equal("failing", requirement.GetProperty("status").GetString());
        var subject = requirement.GetProperty("subjects").EnumerateArray().Single(s => s.GetProperty("itemId").GetString() == itemId);
        Assert.Equal("failing", subject.GetProperty("status").GetString());
        Assert.Contains("altered", subject.GetProperty("reason").GetString(), StringComparison.Ordinal);
    }

    /// <summary>
    /// Each alteration keeps the rest of the file as it was: one byte that is not UTF-8 in a string of the facts (read
    /// only by the checks) or of the summary; valid UTF-8 that is not JSON; valid JSON that is not an item (its subject
    /// replaced by a number).
    /// </summary>
    private static byte[] Alter(byte[] item, string alteration)
    {
        var text = Encoding.UTF8.GetString(item);
        switch (alteration)
        {
            case "invalid-utf8-in-facts" or "invalid-utf8-in-summary":
                // The first character of the first string value in the facts, or of the summary.
                var marker = alteration.EndsWith("facts", StringComparison.Ordinal) ? "\"facts\":{\"" : "\"summary\":\"";
                var start = text.IndexOf(marker, StringComparison.Ordinal);
                Assert.True(start > 0, $"the item has {marker}");
                var at = alteration.EndsWith("facts", StringComparison.Ordinal) ? text.IndexOf(":\"", start + marker.Length, StringComparison.Ordinal) + 2 : start + marker.Length;
                var altered = (byte[])item.Clone();
                altered[Encoding.UTF8.GetByteCount(text[..at])] = 0xFF;
                return altered;
            case "not-json":
                return Encoding.UTF8.GetBytes(text[..(text.Length / 2)] + " this is not JSON");
            default:
                var node = System.Text.Json.Nodes.JsonNode.Parse(item)!.AsObject();
                node["subject"] = 42;
                return Encoding.UTF8.GetBytes(node.ToJsonString());
        }
    }

    private static (string Requirement, string ItemId) PassingSubject(string report)
    {
        using var doc = JsonDocument.Parse(report);
        foreach (var requirement in doc.RootElement.GetProperty("requirements").EnumerateArray())
        {
            foreach (var subject in requirement.GetProperty("subjects").EnumerateArray())
            {
                if (subject.GetProperty("status").GetString() == "ok" && subject.GetProperty("itemId").GetString() is { } id)
                {
                    return (requirement.GetProperty("id").GetString()!, id);
                }
            }
        }

        throw new InvalidOperationException("the sample has no passing subject");
    }
}
