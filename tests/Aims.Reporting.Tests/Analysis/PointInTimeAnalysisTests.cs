using Aims.Evidence;
using Aims.Evidence.Gaps;
using Aims.Reporting.Tests.Fixtures;

namespace Aims.Reporting.Tests.Analysis;

/// <summary>An analysis as of a past date sees each subject as it was last observed by then, not as missing.</summary>
public sealed class PointInTimeAnalysisTests
{
    [Fact]
    public async Task A_subject_observed_again_after_the_analysis_date_keeps_its_earlier_observation()
    {
        // Given the sample (chatbot's branch protection observed on 2026-06-01 with no required review: failing)
        using var sample = await SampleEvidence.CreateAsync();
        var before = await sample.AnalyzeAsync();

        // When chatbot is observed again in July, after the analysis date (2026-06-15), now with two reviews
        await sample.RecordProtectionAsync("chatbot-protection-july", SampleEvidence.At(2026, 7, 1), "contoso/chatbot", "chatbot", 2);
        var after = await sample.AnalyzeAsync();

        // Then the June analysis is unchanged: the July observation is unknown on June 15, the June one still counts
        static GapStatus Protection(GapReport report) =>
            report.Requirements.Where(r => r.Requirement.Kind == EvidenceKinds.GitHubBranchProtection).Select(r => r.Status).Single();
        Assert.Equal(GapStatus.Failing, Protection(before));
        Assert.Equal(Protection(before), Protection(after));
    }
}
