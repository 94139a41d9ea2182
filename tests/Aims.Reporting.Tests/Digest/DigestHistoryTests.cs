using System.Text;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Digest;

public sealed class DigestHistoryTests
{
    private static readonly DateTimeOffset Made = new(2026, 6, 15, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task First_digest_has_nothing_to_compare_with_and_starts_the_trend()
    {
        using var sample = await SampleEvidence.CreateAsync();

        var view = await DigestHistory.AdvanceAsync(sample.Store, await sample.AnalyzeAsync(), Made);

        Assert.Null(view.Changes);
        var run = Assert.Single(view.Trend);
        Assert.Equal(SampleEvidence.AsOf, run.AsOf);
        Assert.Equal(Made, run.RecordedAt);
        Assert.NotNull(await sample.Store.OpenReportAsync(DigestHistory.ReportName(null)));
    }

    [Fact]
    public async Task Second_digest_after_changing_one_document_lists_it_under_changes()
    {
        // Given a first digest
        using var sample = await SampleEvidence.CreateAsync();
        await DigestHistory.AdvanceAsync(sample.Store, await sample.AnalyzeAsync(), Made);

        // When the AI policy is re-collected with a new approval and a second digest is made
        await sample.RecordDocumentAsync("policy", SampleEvidence.At(2026, 6, 14), "AI Policy", "ai-policy", ["A.2.2"], [],
            approvedBy: "Chief Executive Officer", approvedOn: "2026-06-12", reviewDue: "2027-06-12");
        var view = await DigestHistory.AdvanceAsync(sample.Store, await sample.AnalyzeAsync(), Made.AddHours(1));

        // Then exactly that document shows, as changed evidence of its still-ok requirement
        var changes = Assert.IsType<DigestChanges>(view.Changes);
        var change = Assert.Single(changes.Items);
        Assert.Equal(ChangeKind.EvidenceChanged, change.Kind);
        Assert.Equal("ai-policy", change.RequirementId);
        Assert.Equal("AI Policy", change.Subject);
        Assert.Equal(sample.Ids["policy"], change.ItemId);
        Assert.Equal(2, view.Trend.Count);

        // and every format shows it
        var html = await RenderAsync(view, DigestFormat.Html);
        Assert.Contains("<h3>Evidence changed (1)</h3>", html, StringComparison.Ordinal);
        var markdown = await RenderAsync(view, DigestFormat.Markdown);
        Assert.Contains("- evidence changed: ai-policy: AI Policy: new evidence (ok)", markdown, StringComparison.Ordinal);
        var json = await RenderAsync(view, DigestFormat.Json);
        Assert.Contains("\"kind\": \"evidence changed\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Re_collecting_unchanged_evidence_reports_nothing_changed()
    {
        using var sample = await SampleEvidence.CreateAsync();
        await DigestHistory.AdvanceAsync(sample.Store, await sample.AnalyzeAsync(), Made);
        await sample.RecordProtectionAsync("fraud-protection", SampleEvidence.At(2026, 6, 14), "contoso/fraud-model", "fraud-model", 2);

        var view = await DigestHistory.AdvanceAsync(sample.Store, await sample.AnalyzeAsync(), Made.AddHours(1));

        // The payload is byte-identical: a new observation, not new evidence (the stale status did resolve, though)
        var changes = Assert.IsType<DigestChanges>(view.Changes);
        Assert.DoesNotContain(changes.Items, c => c.Kind == ChangeKind.EvidenceChanged);
        Assert.Contains(changes.Items, c => c.Kind == ChangeKind.Resolved || c.Kind == ChangeKind.Improved || c.Kind == ChangeKind.NewlyExpiring);
    }

    [Fact]
    public void Statuses_moving_are_told_apart_as_newly_failing_resolved_newly_expiring_or_improved()
    {
        var before = Snapshot(("a", GapStatus.Ok), ("b", GapStatus.Failing), ("c", GapStatus.Ok), ("d", GapStatus.Missing), ("e", GapStatus.Stale));
        var after = Snapshot(("a", GapStatus.Failing), ("b", GapStatus.Ok), ("c", GapStatus.Expiring), ("d", GapStatus.Stale), ("e", GapStatus.Stale), ("f", GapStatus.Missing));

        var changes = DigestChanges.Between(before, after);

        Assert.Equal(
            [(ChangeKind.NewlyFailing, "a"), (ChangeKind.NewlyFailing, "f"), (ChangeKind.NewlyExpiring, "c"), (ChangeKind.Resolved, "b"), (ChangeKind.Improved, "d")],
            changes.Items.Select(c => (c.Kind, c.RequirementId)));
    }

    [Fact]
    public async Task History_keeps_the_last_twelve_digests()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        DigestView view = null!;
        for (var i = 0; i < DigestHistory.MaxRuns + 3; i++)
        {
            view = await DigestHistory.AdvanceAsync(sample.Store, report with { AsOf = report.AsOf.AddDays(i) }, Made.AddDays(i));
        }

        Assert.Equal(DigestHistory.MaxRuns, view.Trend.Count);
        Assert.Equal(report.AsOf.AddDays(3), view.Trend[0].AsOf);
        Assert.Equal(report.AsOf.AddDays(DigestHistory.MaxRuns + 2), view.Trend[^1].AsOf);
        Assert.Equal(report.AsOf.AddDays(DigestHistory.MaxRuns + 1), view.Changes!.Previous.AsOf);
    }

    [Fact]
    public async Task A_damaged_history_is_started_again_instead_of_failing_the_digest()
    {
        using var sample = await SampleEvidence.CreateAsync();
        await sample.Store.PutReportAsync(DigestHistory.ReportName(null), new MemoryStream(Encoding.UTF8.GetBytes("{\"schemaVersion\":1,\"runs\":[{\"asOf\":\"not a date\"}]")));

        var view = await DigestHistory.AdvanceAsync(sample.Store, await sample.AnalyzeAsync(), Made);

        Assert.Null(view.Changes);
        Assert.Single(view.Trend);
    }

    [Fact]
    public void Each_ai_system_keeps_its_own_history_under_a_safe_report_name()
    {
        Assert.Equal("digest-history/organization.json", DigestHistory.ReportName(null));
        Assert.Equal("digest-history/system-fraud-model.json", DigestHistory.ReportName("fraud-model"));
        Assert.Equal("digest-history/system----etc-passwd.json", DigestHistory.ReportName("../etc/passwd"));
    }

    private static DigestSnapshot Snapshot(params (string Id, GapStatus Status)[] requirements) =>
        new(Made, Made, new Dictionary<GapStatus, int>(), 0, 0, 0, requirements.Select(r => new RequirementSnapshot(r.Id, "owner", r.Status, [])).ToList());

    private static async Task<string> RenderAsync(DigestView view, DigestFormat format)
    {
        using var buffer = new MemoryStream();
        await DigestWriter.WriteAsync(view, format, buffer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
