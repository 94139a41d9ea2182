using System.Text.Json.Nodes;
using Aims.Collectors.Documents;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Evidence.Checks;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;
using Aims.Storage;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Microsoft.Tests.SharePoint;

/// <summary>A policy in SharePoint is judged exactly like the same policy in a folder: same requirement, checks and status.</summary>
public sealed class SameGapAsFolderTests(FakeApiFixture fake) : IClassFixture<FakeApiFixture>
{
    [Fact]
    public async Task An_approved_policy_past_its_review_date_shows_the_same_gap_as_the_same_policy_in_a_folder()
    {
        // Given the AI policy, approved in March and due for review at the end of June, in SharePoint and in a folder
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Add("01OVERDUE", "Policies", "AI Policy.docx", ContosoLibrary.PolicyBytes, new JsonObject
        {
            ["Title"] = "Contoso AI Policy",
            ["DocumentType"] = "ai-policy",
            ["ApprovedBy"] = "Dana Whitfield",
            ["ApprovalDate"] = "2025-03-10T00:00:00Z",
            ["ReviewDue"] = "2025-06-30T00:00:00Z",
            ["_ModerationStatus"] = 0,
        });
        await run.RunAsync();
        var folderStore = await CollectFolderAsync("---\ntype: ai-policy\ntitle: Contoso AI Policy\napproved-by: Dana Whitfield\napproved-on: 2025-03-10\nreview-due: 2025-06-30\n---\n# Policy\n", run.Harness.Time);

        // When both are analysed on the same day
        var fromSharePoint = await AnalyzeAsync(run.Harness.Store, "ai-policy");
        var fromFolder = await AnalyzeAsync(folderStore.Store, "ai-policy");

        // Then both show the same failing status, for the same reason
        Assert.Equal(GapStatus.Failing, fromSharePoint.Status);
        Assert.Equal(fromFolder.Status, fromSharePoint.Status);
        var sharePointSubject = Assert.Single(fromSharePoint.Subjects);
        var folderSubject = Assert.Single(fromFolder.Subjects);
        Assert.Equal(folderSubject.Status, sharePointSubject.Status);
        Assert.Equal(Outcomes(folderSubject), Outcomes(sharePointSubject));
        Assert.Contains(sharePointSubject.Checks, c => c.Check == "review-not-overdue" && c.Reason.Contains("was due 2025-06-30", StringComparison.Ordinal));
        folderStore.Dispose();
    }

    [Fact]
    public async Task A_policy_pending_approval_in_SharePoint_shows_the_same_gap_as_an_unapproved_policy_in_a_folder()
    {
        await using var run = SharePointRun.Create(fake.Api);
        run.Site.Add("01PENDING", "Policies", "AI Policy.docx", ContosoLibrary.PolicyBytes, new JsonObject
        {
            ["Title"] = "Contoso AI Policy",
            ["DocumentType"] = "ai-policy",
            ["ApprovedBy"] = "Dana Whitfield",
            ["ApprovalDate"] = "2025-03-10T00:00:00Z",
            ["ReviewDue"] = "2026-03-10T00:00:00Z",
            ["_ModerationStatus"] = 2,
        });
        await run.RunAsync();
        var folderStore = await CollectFolderAsync("---\ntype: ai-policy\ntitle: Contoso AI Policy\nreview-due: 2026-03-10\n---\n# Policy\n", run.Harness.Time);

        var fromSharePoint = await AnalyzeAsync(run.Harness.Store, "ai-policy");
        var fromFolder = await AnalyzeAsync(folderStore.Store, "ai-policy");

        Assert.Equal(fromFolder.Status, fromSharePoint.Status);
        Assert.Equal(Outcomes(Assert.Single(fromFolder.Subjects)), Outcomes(Assert.Single(fromSharePoint.Subjects)));
        Assert.Contains(Assert.Single(fromSharePoint.Subjects).Checks, c => c.Check == "document-approved" && c.Outcome == CheckOutcome.Fail);
        folderStore.Dispose();
    }

    private static string[] Outcomes(SubjectResult subject) => subject.Checks.Select(c => $"{c.Check}:{c.Outcome}").Order(StringComparer.Ordinal).ToArray();

    private static async Task<RequirementResult> AnalyzeAsync(IEvidenceStore store, string requirement)
    {
        var requirements = RequirementSet.LoadDefaults();
        var analyzer = new GapAnalyzer(store, requirements, CheckRegistry.Default);
        var report = await analyzer.AnalyzeAsync(new GapAnalysisOptions("Contoso", EvidenceHarness.Now, AuditCalendar.Empty, [new SourceState("documents", "test", true, "test")]));
        return report.Requirements.Single(r => r.Requirement.Id == requirement);
    }

    private static async Task<FolderRun> CollectFolderAsync(string markdown, TimeProvider time)
    {
        var run = new FolderRun(time);
        var docs = Path.Combine(run.Directory.Path, "documents", "policies");
        Directory.CreateDirectory(docs);
        await File.WriteAllTextAsync(Path.Combine(docs, "ai-policy.md"), markdown);
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Aims:Sources:Documents:Path"] = "documents" })
            .Build().GetSection("Aims:Sources:Documents");
        var collector = new DocumentsSource().Create(section, new Collectors.Sources.SourceContext(time, NullLoggerFactory.Instance, run.Directory.Path));
        await foreach (var job in collector.PlanAsync(new CollectionPlan("run-1", EvidenceHarness.Period)))
        {
            await collector.CollectAsync(job, new EvidenceRecorder(run.Store, job, new CollectorIdentity("documents", "test", "DocumentsCollector", "test"), RequirementSet.LoadDefaults(), time));
        }

        return run;
    }

    private sealed class FolderRun(TimeProvider time) : IDisposable
    {
        public TempDirectory Directory { get; } = new("aims-folder");

        public FolderEvidenceStore Store => _store ??= new FolderEvidenceStore(System.IO.Path.Combine(Directory.Path, "store"), time);

        private FolderEvidenceStore? _store;

        public void Dispose() => Directory.Dispose();
    }
}
