using Aims.Collectors.Ticketing;
using Aims.Evidence;
using Aims.Evidence.Checks;
using Aims.Evidence.Inventory;
using Aims.Evidence.Requirements;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>How ticket evidence fits the rest of the product: kinds, default requirements and their checks, attribution.</summary>
public sealed class TicketingContractTests
{
    [Fact]
    public void Every_ticket_kind_is_a_known_evidence_kind_of_the_ticketing_family()
    {
        Assert.Equal(6, TicketKind.All.Count);
        Assert.All(TicketKind.All, k =>
        {
            Assert.True(EvidenceKinds.IsKnown(k.EvidenceKind), k.EvidenceKind);
            Assert.Equal("ticketing", EvidenceKinds.SourceOf(k.EvidenceKind));
        });
    }

    [Theory]
    [InlineData("ticket.change-requests", "withoutApproval")]
    [InlineData("ticket.impact-assessments", "withoutApproval")]
    [InlineData("ticket.nonconformities", "overdue")]
    public void Default_requirements_check_the_counted_fact_is_zero(string kind, string fact)
    {
        var requirement = Assert.Single(RequirementSet.LoadDefaults().Requirements, r => r.Kind == kind);

        var check = Assert.Single(requirement.Checks);
        Assert.Equal("fact-at-most", check.Name);
        Assert.Equal(fact, check.Parameter("fact"));
        Assert.Equal("0", check.Parameter("max"));
    }

    [Fact]
    public async Task A_change_closed_without_approval_fails_the_default_check()
    {
        await using var h = await TicketingHarness.JiraAsync();
        h.Settings["Kinds"] = "change-requests";
        FakeJira.Search(h, _ => FakeJira.Fixture("search-change-requests.json"));
        await h.CollectAsync();
        var item = await h.ItemAsync("ticket.change-requests", "jira/FRAUD/change-requests");
        var spec = Assert.Single(RequirementSet.LoadDefaults().Requirements, r => r.Kind == "ticket.change-requests").Checks[0];

        var result = CheckRegistry.Default.Find(spec.Name)!.Evaluate(item, spec, h.Clock.GetUtcNow());

        Assert.Equal(CheckOutcome.Fail, result.Outcome);
        Assert.Contains("withoutApproval = 1", result.Reason);
    }

    [Fact]
    public async Task Items_and_errors_are_attributed_to_ai_systems_by_project_and_repository()
    {
        var inventory = new AiInventory(
            [System("fraud-detector", projects: ["FRAUD"], repositories: []), System("churn-predictor", projects: [], repositories: ["contoso/fraud-model"])],
            AiInventory.DefaultRequiredRecords,
            UnregisteredAiRules.Default);
        var attribution = new FootprintAttribution(inventory);

        await using (var h = await TicketingHarness.JiraAsync())
        {
            h.Settings["Kinds"] = "incidents,concerns";
            h.Settings["Projects"] = "FRAUD,CHURN";
            FakeJira.Search(h, r => FakeJira.Jql(r).Contains("ai-concern", StringComparison.Ordinal)
                ? new Aims.Collectors.Tests.GitHub.FakeResponse(500, "{}")
                : FakeJira.Fixture("search-incidents.json"));
            var collector = h.Create();
            foreach (var job in await h.PlanAsync(collector))
            {
                await h.RunAsync(collector, job, attribution);
            }

            Assert.Equal(["fraud-detector"], (await h.ItemAsync("ticket.incidents", "jira/FRAUD/incidents")).Subject.AiSystemIds);
            Assert.Empty((await h.ItemAsync("ticket.incidents", "jira/CHURN/incidents")).Subject.AiSystemIds);
            var error = (await h.ErrorsAsync()).Single(e => e.Subject.Id == "jira/FRAUD/concerns");
            Assert.Equal(["fraud-detector"], error.Subject.AiSystemIds);
        }

        await using (var h = await TicketingHarness.GitHubIssuesAsync())
        {
            h.Settings["Kinds"] = "concerns";
            h.Fake.Get("repos/contoso/fraud-model/issues", "[]");
            var collector = h.Create();
            await h.RunAsync(collector, Assert.Single(await h.PlanAsync(collector)), attribution);

            Assert.Equal(["churn-predictor"], (await h.ItemAsync("ticket.concerns", "github-issues/contoso/fraud-model/concerns")).Subject.AiSystemIds);
        }
    }

    private static AiSystem System(string id, IReadOnlyList<string> projects, IReadOnlyList<string> repositories) => new()
    {
        Id = id,
        Name = id,
        Purpose = "test",
        Lifecycle = "deployed",
        RiskClass = "high",
        Sourcing = "built",
        ActsAutonomously = false,
        Footprint = AiSystemFootprint.Empty with { TicketProjects = projects, Repositories = repositories },
    };
}
