using Aims.Evidence.Gaps;
using Aims.Reporting.Digest;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Digest;

public sealed class DigestViewTests
{
    [Fact]
    public async Task Orders_owners_by_their_most_urgent_requirement()
    {
        using var sample = await SampleEvidence.CreateAsync();

        var view = new DigestView(await sample.AnalyzeAsync());

        Assert.Equal(view.Owners.Select(o => o.Status).OrderDescending(), view.Owners.Select(o => o.Status));
        foreach (var owner in view.Owners)
        {
            Assert.Equal(GapStatusNames.Worst(owner.Requirements.Select(r => r.Status)), owner.Status);
            Assert.Equal(owner.Requirements.Select(r => r.Status).OrderDescending(), owner.Requirements.Select(r => r.Status));
        }

        var ml = view.Owners.Single(o => o.Owner == "Head of ML Engineering");
        Assert.Contains(ml.Requirements, r => r.Requirement.Id == "branch-protection" && r.Status == GapStatus.Failing);
    }

    [Fact]
    public async Task Counts_days_to_the_next_audit_in_calendar_days()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();

        Assert.Equal(78, new DigestView(report).DaysUntilNextAudit);
        Assert.Equal(0, new DigestView(report with { NextAudit = report.AsOf.AddHours(3) }).DaysUntilNextAudit);
        Assert.Null(new DigestView(report with { NextAudit = null }).DaysUntilNextAudit);
    }

    [Fact]
    public async Task Keeps_a_waived_requirement_not_applicable_for_every_ai_system()
    {
        using var sample = await SampleEvidence.CreateAsync();
        var report = await sample.AnalyzeAsync();
        var waived = report.Requirements.Single(r => r.Requirement.Id == "branch-protection") with
        {
            Status = GapStatus.NotApplicable,
            Waiver = new Evidence.Requirements.Waiver("branch-protection", "Repositories move to rulesets", SampleEvidence.AsOf.AddMonths(2), "CISO", Evidence.Requirements.SourceLocation.BuiltIn),
        };
        var changed = report with { Requirements = report.Requirements.Select(r => r.Requirement.Id == "branch-protection" ? waived : r).ToList() };

        var view = new DigestView(changed);

        Assert.All(view.AiSystems, s => Assert.Equal(GapStatus.NotApplicable, s.Requirements.Single(r => r.Requirement.Requirement.Id == "branch-protection").Status));
    }
}
