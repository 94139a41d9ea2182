using Aims.Evidence;
using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Digest;

public sealed class DigestPlanTests
{
    [Fact]
    public async Task Readiness_counts_requirements_waiting_on_an_unconfigured_source_apart()
    {
        // Given the sample, whose Entra source is not configured (and which knows no Azure, ticketing or inventory source)
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();

        // When the readiness figure is computed
        var readiness = DigestPlan.Readiness(report);

        // Then every requirement of those families without evidence is counted apart, and only the others are in the figure
        var waiting = report.Requirements.Where(r => !r.SourceConfigured && r.Status == GapStatus.Missing && r.Subjects.Count == 0).ToList();
        Assert.Contains(waiting, r => EvidenceKinds.SourceOf(r.Requirement.Kind) == "entra");
        Assert.DoesNotContain(waiting, r => EvidenceKinds.SourceOf(r.Requirement.Kind) is "github" or "documents");
        Assert.Equal(waiting.Count, readiness.SourceNotConfigured);
        Assert.Equal(waiting.Select(r => EvidenceKinds.SourceOf(r.Requirement.Kind)).Distinct().Order(StringComparer.Ordinal), readiness.UnconfiguredFamilies);
        Assert.Equal(report.Requirements.Count - waiting.Count, readiness.InScope);
        Assert.Equal(report.Requirements.Count(r => r.Status is GapStatus.Ok or GapStatus.NotApplicable), readiness.Ready);
        Assert.Equal(readiness.Ready * 100 / readiness.InScope, readiness.Percent);
        Assert.StartsWith($"{readiness.Percent}% ready: {readiness.Ready} of {readiness.InScope} requirements", readiness.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_is_sorted_by_due_date_with_gaps_due_now_and_expiring_evidence_due_when_it_goes_stale()
    {
        // Given the sample with the AI policy approved long enough ago to go stale before the audit
        using var sample = await SampleEvidence.CreateAsync();
        await sample.RecordDocumentAsync("policy", SampleEvidence.At(2026, 6, 10), "AI Policy", "ai-policy", ["A.2.2"], [],
            approvedBy: "Chief Risk Officer", approvedOn: "2025-08-01", reviewDue: "2026-08-01");
        var report = await sample.AnalyzeAsync();

        // When the plan is built
        var plan = DigestPlan.Build(report);

        // Then actions come in due order, gaps are due now and the expiring policy is due on its fresh-until date
        Assert.Equal(plan.Select(a => a.Due).Order(), plan.Select(a => a.Due));
        var expiring = report.Requirements.Single(r => r.Requirement.Id == "ai-policy");
        Assert.Equal(GapStatus.Expiring, expiring.Status);
        var renew = Assert.Single(plan, a => a.RequirementIds.SequenceEqual(["ai-policy"]));
        Assert.Equal(ActionKind.RenewBeforeAudit, renew.Kind);
        Assert.Equal(expiring.Subjects[0].FreshUntil, renew.Due);
        Assert.Contains("re-approve 'AI Policy'", renew.NextStep, StringComparison.Ordinal);
        Assert.All(plan.Where(a => a.Kind != ActionKind.RenewBeforeAudit), a => Assert.Equal(report.AsOf, a.Due));
        Assert.Same(renew, plan[^1]);
    }

    [Fact]
    public async Task A_failing_check_becomes_a_fix_step_naming_the_subject_owner_controls_and_ai_system()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();

        var plan = DigestPlan.Build(report);

        var fix = Assert.Single(plan, a => a.Kind == ActionKind.Fix && a.AiSystems.Contains("chatbot"));
        var requirement = report.Requirements.Single(r => r.Requirement.Id == fix.RequirementIds[0]);
        Assert.StartsWith("fix: ", fix.NextStep, StringComparison.Ordinal);
        Assert.Contains("contoso/chatbot", fix.NextStep, StringComparison.Ordinal);
        Assert.Equal(requirement.Requirement.Owner, fix.Owner);
        Assert.Equal(requirement.Requirement.Controls, fix.Controls);
        Assert.Equal(sample.Ids["chatbot-protection"], fix.ItemId);
        Assert.Equal(ActionKind.Fix, plan[0].Kind);
    }

    [Fact]
    public async Task Each_unconfigured_source_family_is_one_configure_action_listing_the_requirements_that_wait_on_it()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();

        var plan = DigestPlan.Build(report);

        var waiting = report.Requirements.Where(DigestPlan.WaitsOnSource).ToList();
        Assert.Equal(waiting.Select(r => EvidenceKinds.SourceOf(r.Requirement.Kind)).Distinct().Count(), plan.Count(a => a.Kind == ActionKind.ConfigureSource));
        var configure = Assert.Single(plan, a => a.Kind == ActionKind.ConfigureSource && a.NextStep.StartsWith("configure the Entra source (", StringComparison.Ordinal));
        var entra = waiting.Where(r => EvidenceKinds.SourceOf(r.Requirement.Kind) == "entra").Select(r => r.Requirement.Id).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(entra, configure.RequirementIds);
        Assert.Contains($"{entra.Count} requirements wait on it", configure.NextStep, StringComparison.Ordinal);
        Assert.DoesNotContain(plan, a => a.Kind != ActionKind.ConfigureSource && a.RequirementIds.Any(id => waiting.Any(w => w.Requirement.Id == id)));
    }

    [Fact]
    public async Task A_missing_document_asks_for_the_approved_document_of_its_type()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();

        var plan = DigestPlan.Build(report);

        var missingDocument = report.Requirements.First(r => r.Status == GapStatus.Missing && r.Requirement.Kind == EvidenceKinds.Document && r.Requirement.Scope.Facts.ContainsKey("documentType"));
        var action = Assert.Single(plan, a => a.RequirementIds.SequenceEqual([missingDocument.Requirement.Id]));
        Assert.Equal(ActionKind.Provide, action.Kind);
        Assert.Contains($"upload the approved {missingDocument.Requirement.Scope.Facts["documentType"].Replace('-', ' ')} document", action.NextStep, StringComparison.Ordinal);
    }
}
