using System.Text.Json.Nodes;
using Aims.Evidence.Checks;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Aims.Evidence.Inventory;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Storage;
using Aims.Testing;

namespace Aims.Evidence.Tests;

/// <summary>Control status across AI systems, and one system's view of organization-wide requirements.</summary>
public sealed class ControlStatusTests : IDisposable
{
    private static readonly DateTimeOffset AsOf = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();
    private readonly FolderEvidenceStore _store;
    private readonly RequirementSet _requirements;
    private readonly AiInventory _inventory;

    public ControlStatusTests()
    {
        _store = new FolderEvidenceStore(_dir.Combine("store"));
        File.WriteAllText(_dir.Combine("requirements.yaml"), """
            useDefaults: false
            requirements:
              - id: policy
                kind: document
                controls: [A.2.2]
                scope: { subjectType: document, facts: { documentType: ai-policy } }
                freshness: P1Y
                owner: Governance
              - id: techdoc
                kind: document
                controls: [A.6.2.7]
                scope: { subjectType: document, facts: { documentType: technical-documentation } }
                freshness: P1Y
                owner: Engineering
            """);
        _requirements = RequirementSet.Load(_dir.Combine("requirements.yaml"));
        File.WriteAllText(_dir.Combine("inventory.yaml"), $"""
            requiredRecords: [techdoc]
            aiSystems:
            {System("fraud-scoring")}
            {System("support-assistant")}
            """);
        _inventory = AiInventory.Load(_dir.Combine("inventory.yaml"), _requirements);
    }

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task A_control_shows_a_gap_when_one_ai_system_lacks_its_record()
    {
        await DocumentAsync("policy.md", "ai-policy");
        await DocumentAsync("systems/fraud-scoring/design.md", "technical-documentation", "fraud-scoring");

        var report = await AnalyzeAsync();

        Assert.Equal(GapStatus.Ok, report.Requirements.Single(r => r.Requirement.Id == "techdoc").Status);
        Assert.Equal(GapStatus.Missing, report.AiSystems.Single(s => s.System.Id == "support-assistant").Status);
        var control = report.Controls.Single(c => c.Control.Id == "A.6.2.7");
        Assert.Equal(GapStatus.Missing, control.Status);
        Assert.Equal(GapStatus.Missing, control.AiSystems["support-assistant"]);
        Assert.Equal(GapStatus.Ok, control.AiSystems["fraud-scoring"]);
        Assert.Equal(GapStatus.Ok, report.Controls.Single(c => c.Control.Id == "A.2.2").Status);
    }

    [Fact]
    public async Task One_system_s_analysis_gives_organization_wide_requirements_the_organization_s_status()
    {
        await DocumentAsync("policy.md", "ai-policy");
        await DocumentAsync("systems/fraud-scoring/design.md", "technical-documentation", "fraud-scoring");

        var report = await AnalyzeAsync("fraud-scoring");

        var policy = report.Requirements.Single(r => r.Requirement.Id == "policy");
        Assert.Equal(GapStatus.Ok, policy.Status);
        Assert.True(policy.OrganizationWide);
        Assert.StartsWith("Organization-wide", policy.Reason);
        var techdoc = report.Requirements.Single(r => r.Requirement.Id == "techdoc");
        Assert.False(techdoc.OrganizationWide);
        Assert.Equal(GapStatus.Ok, techdoc.Status);
    }

    [Fact]
    public async Task One_system_s_required_record_stays_its_own_even_when_another_system_has_it()
    {
        await DocumentAsync("systems/fraud-scoring/design.md", "technical-documentation", "fraud-scoring");

        var report = await AnalyzeAsync("support-assistant");

        var techdoc = report.Requirements.Single(r => r.Requirement.Id == "techdoc");
        Assert.False(techdoc.OrganizationWide);
        Assert.Equal(GapStatus.Missing, techdoc.Status);
    }

    private static string System(string id) => $"""
          - id: {id}
            name: {id}
            purpose: test
            businessOwner: Owner
            technicalOwner: Owner
            lifecycle: deployed
            riskClass: limited
            sourcing: built
            actsAutonomously: false
            footprint:
              documentFolders: [systems/{id}]
        """;

    private async Task DocumentAsync(string path, string type, string? system = null)
    {
        var job = new CollectionJob("run-1", "docs-" + path, "Documents", new EvidencePeriod(AsOf.AddYears(-1), AsOf), new Dictionary<string, string>());
        var recorder = new EvidenceRecorder(_store, job, new CollectorIdentity("documents", "docs", "documents", "1"), _requirements, new FixedClock(AsOf.AddDays(-1)));
        await recorder.EmitAsync(new EvidenceDraft
        {
            Kind = EvidenceKinds.Document,
            Subject = new Subject("document", path, path, system is null ? null : [system]),
            Locator = path,
            Summary = type,
            Facts = new JsonObject { ["documentType"] = type },
        });
    }

    private Task<GapReport> AnalyzeAsync(string? system = null) =>
        new GapAnalyzer(_store, _requirements, CheckRegistry.Default).AnalyzeAsync(new GapAnalysisOptions(
            "Test", AsOf, new AuditCalendar([]), [new SourceState("documents", "Documents", true, "")], system, _inventory));

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
