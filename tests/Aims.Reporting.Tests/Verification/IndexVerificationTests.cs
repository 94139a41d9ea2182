using Aims.Evidence;
using Aims.Reporting.Tests.Fixtures;
using Aims.Reporting.Verification;
using Microsoft.Data.Sqlite;

namespace Aims.Reporting.Tests.Verification;

/// <summary>
/// The index is derived from the ledger: every edit of it is named by verify, and a rebuild from the ledger restores
/// the gap report. The edits go straight to the folder store's index database, as an attacker with file access would.
/// </summary>
public sealed class IndexVerificationTests
{
    private static async Task EditIndexAsync(SampleEvidence sample, string sql, params (string Name, object Value)[] parameters)
    {
        await using (var connection = new SqliteConnection($"Data Source={Path.Combine(sample.Store.Root, "state", "index.db")}"))
        {
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value);
            }

            Assert.True(await command.ExecuteNonQueryAsync() > 0, $"The edit changed nothing: {sql}");
        }

        SqliteConnection.ClearAllPools();
    }

    private static async Task<string> StatusesAsync(SampleEvidence sample)
    {
        var report = await sample.AnalyzeAsync();
        return string.Join("\n", report.Requirements.Select(r => $"{r.Requirement.Id}={r.Status}"));
    }

    [Fact]
    public async Task Evidence_observed_at_a_time_finer_than_a_millisecond_verifies_intact()
    {
        // The real clock has ticks below a millisecond; items, ledger and index must all keep the stored precision.
        using var sample = SampleEvidence.Empty();
        await sample.RecordProtectionAsync("fine-clock", SampleEvidence.At(2026, 6, 1).AddTicks(8_765), "contoso/chatbot", "chatbot", 2);

        var result = await new StoreVerifier(sample.Store).VerifyAsync();

        Assert.Empty(result.Findings);
    }

    [Fact]
    public async Task An_intact_store_has_an_index_that_matches_its_ledger()
    {
        using var sample = await SampleEvidence.CreateAsync();

        var result = await new StoreVerifier(sample.Store).VerifyAsync();

        Assert.Empty(result.Findings);
    }

    [Fact]
    public async Task A_removed_index_entry_is_named_and_a_rebuild_restores_the_gap_report()
    {
        // Given the sample and its gap report
        using var sample = await SampleEvidence.CreateAsync();
        var before = await StatusesAsync(sample);

        // When the impact assessment's index row is deleted
        await EditIndexAsync(sample, "DELETE FROM latest WHERE item_id = $id", ("$id", sample.Ids["impact"]));
        var tampered = await StatusesAsync(sample);
        var result = await new StoreVerifier(sample.Store).VerifyAsync();

        // Then the report changed, verify names the missing entry, and a rebuild brings the original report back
        Assert.NotEqual(before, tampered);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Removed, finding.Kind);
        Assert.Equal($"index/{EvidenceKinds.Document}", finding.Name);
        Assert.Contains(sample.Ids["impact"], finding.Problem, StringComparison.Ordinal);

        await sample.Store.RebuildIndexAsync();
        Assert.Equal(before, await StatusesAsync(sample));
        Assert.Empty((await new StoreVerifier(sample.Store).VerifyAsync()).Findings);
    }

    [Fact]
    public async Task A_flipped_error_flag_is_named()
    {
        using var sample = await SampleEvidence.CreateAsync();

        await EditIndexAsync(sample, "UPDATE latest SET is_error = 0 WHERE item_id = $id", ("$id", sample.Ids["chatbot-prs"]));
        var result = await new StoreVerifier(sample.Store).VerifyAsync();

        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Mismatch, finding.Kind);
        Assert.Contains("collector error", finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_subject_pointed_at_another_subjects_item_is_named()
    {
        using var sample = await SampleEvidence.CreateAsync();

        await EditIndexAsync(sample, "UPDATE latest SET item_id = $other, sha256 = (SELECT sha256 FROM observations WHERE item_id = $other) WHERE item_id = $id",
            ("$id", sample.Ids["impact"]), ("$other", sample.Ids["policy"]));
        var result = await new StoreVerifier(sample.Store).VerifyAsync();

        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Mismatch, finding.Kind);
        Assert.Contains(sample.Ids["policy"], finding.Problem, StringComparison.Ordinal);
        Assert.Contains(sample.Ids["impact"], finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_for_an_item_that_was_never_stored_is_named()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var ghost = new string('d', 32);

        await EditIndexAsync(sample, "INSERT INTO latest (kind, subject, item_id, sha256, observed_at, is_error) VALUES ($kind, 'repository/contoso/ghost', $id, $sha, 0, 0)",
            ("$kind", EvidenceKinds.GitHubRepository), ("$id", ghost), ("$sha", new string('0', 64)));
        var result = await new StoreVerifier(sample.Store).VerifyAsync();

        var finding = Assert.Single(result.Findings);
        Assert.Equal(FindingKind.Added, finding.Kind);
        Assert.Contains(ghost, finding.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_index_is_named_for_every_subject_and_rebuilt_from_the_ledger()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var before = await StatusesAsync(sample);
        SqliteConnection.ClearAllPools();

        File.Delete(Path.Combine(sample.Store.Root, "state", "index.db"));
        var result = await new StoreVerifier(sample.Store).VerifyAsync();

        Assert.Equal(5, result.Findings.Count);
        Assert.All(result.Findings, f => Assert.Equal(FindingKind.Removed, f.Kind));
        Assert.Equal(5, await sample.Store.RebuildIndexAsync());
        Assert.Equal(before, await StatusesAsync(sample));
    }
}
