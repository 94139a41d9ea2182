using System.Text.Json.Nodes;
using Aims.Evidence.Checks;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;

namespace Aims.Evidence.Tests;

public sealed class GapAnalyzerTests : IDisposable
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Audit = new(2027, 2, 15, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FolderEvidenceStore _store;
    private readonly RequirementSet _requirements;

    public GapAnalyzerTests()
    {
        _store = new FolderEvidenceStore(_dir.Path);
        var path = _dir.Combine("requirements.yaml");
        File.WriteAllText(path, """
            useDefaults: false
            requirements:
              - id: policy
                kind: document
                controls: [A.2.2]
                scope: { subjectType: document, facts: { documentType: ai-policy } }
                freshness: P1Y
                owner: Governance
                checks: [document-approved, review-not-overdue]
              - id: protection
                kind: github.branch-protection
                controls: [A.6.1.3]
                scope: { subjectType: repository }
                freshness: P90D
                owner: Engineering
                checks:
                  - { name: fact-at-least, fact: requiredApprovingReviewCount, min: 2 }
              - id: waived
                kind: document
                controls: [A.10.4]
                scope: { facts: { documentType: customer-requirements } }
                freshness: P1Y
                owner: Product
            waivers:
              - { requirement: waived, reason: No external customers, expires: 2027-06-30 }
            """);
        _requirements = RequirementSet.Load(path);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Reports_missing_when_no_evidence_matches()
    {
        var report = await AnalyzeAsync();

        Assert.Equal(GapStatus.Missing, Requirement(report, "policy").Status);
        Assert.Equal(GapStatus.Missing, Control(report, "A.2.2").Status);
    }

    [Fact]
    public async Task Reports_ok_for_fresh_passing_evidence()
    {
        await DocumentAsync("ai-policy.md", approvedOn: "2026-06-01", reviewDue: "2027-06-01");

        Assert.Equal(GapStatus.Ok, Requirement(await AnalyzeAsync(), "policy").Status);
    }

    [Fact]
    public async Task Reports_stale_when_older_than_the_freshness_window()
    {
        await DocumentAsync("ai-policy.md", approvedOn: "2025-10-01", reviewDue: null);

        var result = Requirement(await AnalyzeAsync(), "policy");

        Assert.Equal(GapStatus.Stale, result.Status);
        Assert.Contains("went stale on 2026-10-01", result.Reason);
    }

    [Fact]
    public async Task Reports_expiring_when_stale_by_the_next_audit()
    {
        await DocumentAsync("ai-policy.md", approvedOn: "2026-01-20", reviewDue: "2027-01-20");

        var result = Requirement(await AnalyzeAsync(), "policy");

        Assert.Equal(GapStatus.Expiring, result.Status);
        Assert.Contains("before the audit on 2027-02-15", result.Reason);
    }

    [Fact]
    public async Task Reports_failing_when_a_check_fails()
    {
        await DocumentAsync("ai-policy.md", approvedOn: "2026-06-01", reviewDue: "2027-06-01", approvedBy: null);

        var result = Requirement(await AnalyzeAsync(), "policy");

        Assert.Equal(GapStatus.Failing, result.Status);
        Assert.Contains("names no approver", result.Reason);
    }

    [Fact]
    public async Task Threshold_checks_use_the_configured_parameter()
    {
        await RepositoryProtectionAsync("contoso/fraud", reviews: 1);
        await RepositoryProtectionAsync("contoso/chatbot", reviews: 2);

        var result = Requirement(await AnalyzeAsync(), "protection");

        Assert.Equal(GapStatus.Failing, result.Status);
        Assert.Equal(2, result.Subjects.Count);
        Assert.Equal("repository/contoso/fraud", result.Subjects[0].SubjectKey);
        Assert.Contains("below the required 2", result.Subjects[0].Reason);
    }

    [Fact]
    public async Task Reports_collector_error_when_the_latest_attempt_failed()
    {
        var recorder = Recorder("job-err");
        await recorder.ReportErrorAsync(new Subject("repository", "contoso/fraud", "contoso/fraud"), "github.branch-protection", "/repos/contoso/fraud", "GitHub answered 500");

        var result = Requirement(await AnalyzeAsync(), "protection");

        Assert.Equal(GapStatus.CollectorError, result.Status);
        Assert.Contains("GitHub answered 500", result.Reason);
        Assert.Single((await AnalyzeAsync()).CollectorProblems);
    }

    [Fact]
    public async Task A_source_failure_is_superseded_by_a_later_successful_collection()
    {
        var early = new EvidenceRecorder(_store, Job("job-1"), Identity, _requirements, new FixedClock(AsOf.AddDays(-2)));
        await early.ReportErrorAsync(new Subject("source", "github", "GitHub"), "github.branch-protection", "plan", "rate limited");
        await RepositoryProtectionAsync("contoso/fraud", reviews: 2);

        Assert.Equal(GapStatus.Ok, Requirement(await AnalyzeAsync(), "protection").Status);
    }

    [Fact]
    public async Task A_waiver_makes_a_requirement_not_applicable_with_its_reason()
    {
        var report = await AnalyzeAsync();

        var result = Requirement(report, "waived");
        Assert.Equal(GapStatus.NotApplicable, result.Status);
        Assert.Contains("No external customers", result.Reason);
        Assert.Equal(GapStatus.NotApplicable, Control(report, "A.10.4").Status);
    }

    [Fact]
    public async Task A_control_takes_the_most_urgent_status_of_its_requirements()
    {
        Assert.Equal(GapStatus.Missing, GapStatusNames.Worst([GapStatus.Ok, GapStatus.Missing, GapStatus.Stale]));
        Assert.Equal(GapStatus.Ok, GapStatusNames.Worst([GapStatus.Ok, GapStatus.NotApplicable]));
        Assert.Equal(GapStatus.NotApplicable, GapStatusNames.Worst([GapStatus.NotApplicable]));

        var report = await AnalyzeAsync();
        Assert.Equal(41, report.Controls.Count);
        Assert.All(report.Controls.Where(c => c.Requirements.Count == 0), c => Assert.Equal(GapStatus.Missing, c.Status));
    }

    [Fact]
    public async Task The_newest_observation_of_a_subject_wins()
    {
        await DocumentAsync("ai-policy.md", approvedOn: "2024-01-01", reviewDue: null, jobId: "old", at: AsOf.AddDays(-30));
        await DocumentAsync("ai-policy.md", approvedOn: "2026-06-01", reviewDue: "2027-06-01", jobId: "new", at: AsOf.AddDays(-1));

        var result = Requirement(await AnalyzeAsync(), "policy");

        Assert.Equal(GapStatus.Ok, result.Status);
        Assert.Single(result.Subjects);
    }

    [Fact]
    public async Task Filtering_by_ai_system_keeps_only_its_subjects()
    {
        await RepositoryProtectionAsync("contoso/fraud", reviews: 2, aiSystem: "fraud-scoring");
        await RepositoryProtectionAsync("contoso/chatbot", reviews: 0, aiSystem: "support-assistant");

        var report = await AnalyzeAsync(aiSystem: "fraud-scoring");

        var result = Requirement(report, "protection");
        Assert.Equal(GapStatus.Ok, result.Status);
        Assert.Equal("repository/contoso/fraud", Assert.Single(result.Subjects).SubjectKey);
    }

    private static readonly CollectorIdentity Identity = new("test", "test", "TestCollector", "1");

    private static CollectionJob Job(string id) => new("run-1", id, "Test", new EvidencePeriod(AsOf.AddYears(-1), AsOf), new Dictionary<string, string>());

    private EvidenceRecorder Recorder(string jobId, DateTimeOffset? at = null) =>
        new(_store, Job(jobId), Identity, _requirements, new FixedClock(at ?? AsOf));

    private async Task DocumentAsync(string path, string approvedOn, string? reviewDue, string? approvedBy = "CRO", string jobId = "docs", DateTimeOffset? at = null)
    {
        var facts = new JsonObject { ["documentType"] = "ai-policy", ["approvedBy"] = approvedBy, ["approvedOn"] = approvedOn, ["reviewDue"] = reviewDue };
        await Recorder(jobId, at).EmitAsync(new EvidenceDraft
        {
            Kind = "document",
            Subject = new Subject("document", path, path),
            Locator = path,
            Summary = "policy",
            Facts = facts,
            EvidenceDate = DateTimeOffset.Parse(approvedOn, System.Globalization.CultureInfo.InvariantCulture),
        });
    }

    private async Task RepositoryProtectionAsync(string repo, int reviews, string? aiSystem = null) =>
        await Recorder("gh-" + repo).EmitAsync(new EvidenceDraft
        {
            Kind = "github.branch-protection",
            Subject = new Subject("repository", repo, repo, aiSystem is null ? null : [aiSystem]),
            Locator = $"/repos/{repo}/branches/main/protection",
            Summary = "protection",
            Facts = new JsonObject { ["protected"] = true, ["requiredApprovingReviewCount"] = reviews },
        });

    [Theory]
    [InlineData("\"approvedBy\":\"CRO\"", "\"approvedBy\":\"CEO\"")]
    [InlineData("{", "[")]
    public async Task An_item_altered_in_the_store_is_a_tamper_finding_never_ok(string original, string altered)
    {
        // Given a passing policy whose stored item is then edited in place
        await DocumentAsync("ai-policy.md", approvedOn: "2026-06-01", reviewDue: "2027-06-01");
        var file = Directory.EnumerateFiles(Path.Combine(_dir.Path, "items"), "*.json", SearchOption.AllDirectories).Single();
        var text = await File.ReadAllTextAsync(file);
        Assert.Contains(original, text, StringComparison.Ordinal);
        await File.WriteAllTextAsync(file, text.Replace(original, altered, StringComparison.Ordinal));

        // When the gaps are analysed
        var result = Requirement(await AnalyzeAsync(), "policy");

        // Then the requirement fails on that subject, saying the evidence was altered
        Assert.Equal(GapStatus.Failing, result.Status);
        var subject = Assert.Single(result.Subjects);
        Assert.Contains("altered", subject.Reason, StringComparison.Ordinal);
    }

    private Task<GapReport> AnalyzeAsync(string? aiSystem = null) =>
        new GapAnalyzer(_store, _requirements, CheckRegistry.Default).AnalyzeAsync(new GapAnalysisOptions(
            "Test", AsOf, new AuditCalendar([Audit]), [new SourceState("github", "GitHub", true, ""), new SourceState("documents", "Documents", true, "")], aiSystem));

    private static RequirementResult Requirement(GapReport report, string id) => report.Requirements.Single(r => r.Requirement.Id == id);

    private static ControlResult Control(GapReport report, string id) => report.Controls.Single(c => c.Control.Id == id);

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
