using System.Text.Json;
using Aims.Testing;

namespace Aims.Cli.Tests;

/// <summary>The digest as people get it from the CLI: its first screen, and what changed since the previous one.</summary>
public sealed class DigestCommandTests
{
    [Fact]
    public async Task Second_run_after_changing_one_document_shows_it_under_changed_since_the_previous_digest()
    {
        // Given the sample run once
        using var dir = new TempDirectory("aims-digest");
        var config = RepositoryPaths.CopySample(dir.Combine("contoso"));
        var store = dir.Combine("store");
        var first = await CliRunner.RunAsync("run", "--config", config, "--store", store, "--as-of", "2026-12-01", "--out", dir.Combine("out1"));
        Assert.True(first.Exit == ExitCodes.Ok, first.Errors);
        Assert.Contains("No previous digest of this scope is recorded", await File.ReadAllTextAsync(Path.Combine(dir.Combine("out1"), "digest.md")), StringComparison.Ordinal);

        // When one document is revised and the job runs again the next day
        var policy = Path.Combine(dir.Combine("contoso"), "documents", "policies", "ai-policy.md");
        await File.AppendAllTextAsync(policy, "\nRevised: every AI system also names a technical owner.\n");
        var second = await CliRunner.RunAsync("run", "--config", config, "--store", store, "--as-of", "2026-12-02", "--out", dir.Combine("out2"));
        Assert.True(second.Exit == ExitCodes.Ok, second.Errors);

        // Then the new digest names exactly that document under the changes, in every format
        var markdown = await File.ReadAllTextAsync(Path.Combine(dir.Combine("out2"), "digest.md"));
        var changes = markdown[markdown.IndexOf("## Changed since the previous digest", StringComparison.Ordinal)..markdown.IndexOf("## Summary", StringComparison.Ordinal)];
        Assert.Contains("Compared with the digest of 2026-12-01.", changes, StringComparison.Ordinal);
        var changed = changes.Split('\n').Where(l => l.StartsWith("- evidence changed: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(["- evidence changed: ai-policy: Contoso AI Policy: new evidence (ok) (owner AI Governance Lead)"], changed);
        var html = await File.ReadAllTextAsync(Path.Combine(dir.Combine("out2"), "digest.html"));
        Assert.Contains("<h3>Evidence changed (1)</h3>", html, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(dir.Combine("out2"), "digest.json")));
        var items = json.RootElement.GetProperty("changes").GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(items, i => i.GetProperty("kind").GetString() == "evidence changed" && i.GetProperty("requirement").GetString() == "ai-policy");
        Assert.Equal(2, json.RootElement.GetProperty("trend").GetArrayLength());
    }

    [Fact]
    public async Task Digest_first_screen_names_the_next_audit_readiness_apart_from_unconfigured_sources_and_the_plan()
    {
        using var dir = new TempDirectory("aims-digest");
        var config = RepositoryPaths.CopySample(dir.Combine("contoso"));
        var store = dir.Combine("store");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("collect", "--config", config, "--store", store, "--as-of", "2026-12-01")).Exit);

        var (exit, _, errors) = await CliRunner.RunAsync("digest", "--config", config, "--store", store, "--as-of", "2026-12-01", "--out", dir.Combine("out"));

        Assert.True(exit == ExitCodes.Ok, errors);
        var markdown = await File.ReadAllTextAsync(Path.Combine(dir.Combine("out"), "digest.md"));
        var head = markdown[..markdown.IndexOf("## The plan", StringComparison.Ordinal)];
        Assert.Contains("- Next audit: 2027-02-15 (in 76 days)", head, StringComparison.Ordinal);
        Assert.Matches(@"- Readiness: \d+% ready: \d+ of \d+ requirements ok or waived", head);
        Assert.Matches(@"- Sources not configured: \d+ more requirements wait on a source that is not configured \(azure, entra, github, ticketing\)", head);
        var plan = markdown[markdown.IndexOf("## The plan", StringComparison.Ordinal)..markdown.IndexOf("## Changed since", StringComparison.Ordinal)];
        var dues = plan.Split('\n').Where(l => l.StartsWith("| now", StringComparison.Ordinal) || l.StartsWith("| 20", StringComparison.Ordinal))
            .Select(l => l.Split('|')[1].Trim()).ToList();
        Assert.True(dues.Count >= 3);
        Assert.Equal(dues.OrderBy(d => d == "now" ? "0" : d, StringComparer.Ordinal), dues);
        Assert.Contains("configure the GitHub source", plan, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(60)]
    [InlineData(100)]
    [InlineData(160)]
    public async Task Gaps_table_has_headers_and_fits_the_terminal_width(int width)
    {
        using var dir = new TempDirectory("aims-gaps");
        var config = RepositoryPaths.CopySample(dir.Combine("contoso"));
        var store = dir.Combine("store");
        Assert.Equal(ExitCodes.Ok, (await CliRunner.RunAsync("collect", "--config", config, "--store", store, "--as-of", "2026-12-01")).Exit);

        var (exit, output, errors) = await CliRunner.RunAsync(width, "gaps", "--config", config, "--store", store, "--as-of", "2026-12-01");

        Assert.True(exit == ExitCodes.Ok, errors);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(lines, l => Assert.True(l.Length <= width, $"{l.Length} > {width}: {l}"));
        Assert.Contains(lines, l => l.StartsWith("CONTROL  ", StringComparison.Ordinal) && l.Contains("REQUIREMENT", StringComparison.Ordinal) && l.TrimEnd().EndsWith("REASON", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("AI SYSTEM", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("A.2.2 ", StringComparison.Ordinal));
        // the reason wraps instead of being cut: every word of the overdue review is there
        var text = string.Join(' ', lines.Select(l => l.Trim()));
        Assert.All("Review of 'Impact assessment: Customer support assistant' was due 2026-08-01.".Split(' '), w => Assert.Contains(w, text, StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Readiness: ", StringComparison.Ordinal));
    }
}
