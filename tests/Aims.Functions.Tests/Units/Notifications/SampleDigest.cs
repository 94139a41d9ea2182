using Aims.Evidence.Catalog;
using Aims.Evidence.Gaps;
using Aims.Evidence.Requirements;
using Aims.Functions.Notifications;

namespace Aims.Functions.Tests.Units.Notifications;

/// <summary>A small gap report as the analysis makes it: two failing subjects, an expiring document, a missing document.</summary>
internal static class SampleDigest
{
    public const string Title = "Contoso: AIMS evidence-gap digest";

    public static readonly DateTimeOffset AsOf = new(2026, 12, 1, 6, 0, 0, TimeSpan.Zero);

    public static DigestMessage Message(Uri? link = null)
    {
        var requirements = new List<RequirementResult>
        {
            Result("independent-pr-approval", "github.pull-requests", ["A.6.2.5"], "Head of ML Engineering", GapStatus.Failing,
                Subject("repository/contoso/fraud-scoring", "contoso/fraud-scoring", GapStatus.Failing, "3 merged PRs without independent approval in contoso/fraud-scoring", null),
                Subject("repository/contoso/[evil](https://phish.example)", "[evil](https://phish.example)", GapStatus.Failing, "*bold* claim", null)),
            Result("management-review-minutes", "document", ["9.3"], "AI Governance Lead", GapStatus.Expiring,
                Subject("document/minutes.md", "Management review minutes, January 2026", GapStatus.Expiring, "fresh until 2027-01-20", new DateTimeOffset(2027, 1, 20, 0, 0, 0, TimeSpan.Zero))),
            Result("design-documentation", "document", ["A.6.2.3"], "Head of ML Engineering", GapStatus.Missing),
            Result("ai-policy", "document", ["A.2.2"], "AI Governance Lead", GapStatus.Ok,
                Subject("document/policy.md", "AI Policy", GapStatus.Ok, "fresh", new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero))),
        };
        var controls = ControlCatalog.Default.Controls.Select(c => new ControlResult(c, GapStatus.Missing, requirements.Where(r => r.Requirement.Controls.Contains(c.Id)).ToList())).ToList();
        var report = new GapReport("Contoso", AsOf, new DateTimeOffset(2027, 2, 15, 0, 0, 0, TimeSpan.Zero), null, controls, requirements, [],
            [new SourceState("documents", "Documents", true, "folder documents"), new SourceState("github", "GitHub", true, "org contoso")]);
        return new DigestMessage(report, "# Contoso digest\n\nThe plan …", "<!DOCTYPE html><html></html>", link);
    }

    private static RequirementResult Result(string id, string kind, string[] controls, string owner, GapStatus status, params SubjectResult[] subjects) =>
        new(new Requirement
        {
            Id = id,
            Kind = kind,
            Controls = controls,
            Scope = RequirementScope.Any,
            Freshness = IsoDuration.Parse("P1Y"),
            Owner = owner,
        }, status, subjects.Length == 0 ? $"No {kind} evidence." : subjects[0].Reason, subjects, null, true);

    private static SubjectResult Subject(string key, string name, GapStatus status, string reason, DateTimeOffset? freshUntil) =>
        new(key, name, [], status, reason, "0123456789abcdef0123456789abcdef", AsOf.AddDays(-3), null, freshUntil, []);
}
