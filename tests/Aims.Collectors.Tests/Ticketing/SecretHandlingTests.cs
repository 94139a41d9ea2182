using System.Text;
using Aims.Collectors.Http;
using Aims.Collectors.Tests.GitHub;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>What the ticketing collectors store never holds a credential or the providers' free text.</summary>
public sealed class SecretHandlingTests
{
    private static readonly string BasicJira = Convert.ToBase64String(Encoding.UTF8.GetBytes($"aims-bot@contoso.example:{TicketingHarness.Secret}"));

    private static readonly string BasicServiceNow = Convert.ToBase64String(Encoding.UTF8.GetBytes($"aims.integration:{TicketingHarness.Secret}"));

    private static async Task AssertStoreHoldsNoneOfAsync(TicketingHarness h, params string[] forbidden)
    {
        var files = await h.StoreFilesAsync();
        Assert.Contains(files, f => f.File.Contains($"{Path.DirectorySeparatorChar}raw{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        Assert.Contains(files, f => f.File.Contains($"{Path.DirectorySeparatorChar}items{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        foreach (var (file, text) in files)
        {
            foreach (var secret in forbidden)
            {
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"{file} holds '{secret}'.");
            }
        }
    }

    [Fact]
    public async Task Jira_stores_neither_the_api_token_nor_reporter_e_mail_addresses()
    {
        await using var h = await TicketingHarness.JiraAsync();
        h.Settings["Kinds"] = "incidents,concerns";
        FakeJira.Search(h, r => FakeJira.Jql(r).Contains("ai-concern", StringComparison.Ordinal)
            ? FakeJira.Error(401, "error-unauthorized.json")
            : FakeJira.Fixture("search-incidents.json"));

        await h.CollectAsync();

        Assert.Single(await h.ErrorsAsync());
        await AssertStoreHoldsNoneOfAsync(h, TicketingHarness.Secret, BasicJira, "mia@contoso.example", "aims-bot@contoso.example");
    }

    [Fact]
    public async Task ServiceNow_stores_neither_the_password_nor_the_basic_header()
    {
        await using var h = await TicketingHarness.ServiceNowAsync();
        h.Fake.Get(FakeServiceNow.Table("incident"), FakeServiceNow.Fixture("incident.json"));
        h.Fake.Get(FakeServiceNow.Table("change_request"), FakeServiceNow.Error(401, "error-unauthorized.json"));

        await h.CollectAsync();

        Assert.Single(await h.ErrorsAsync());
        await AssertStoreHoldsNoneOfAsync(h, TicketingHarness.Secret, BasicServiceNow);
    }

    [Fact]
    public async Task GitHub_issues_store_neither_the_token_nor_issue_bodies_even_with_the_response_cache()
    {
        await using var h = await TicketingHarness.GitHubIssuesAsync();
        h.Settings["Kinds"] = "incidents,change-requests";
        h.Cache = new EvidenceStoreResponseCache(h.Store);
        h.Fake.Get("repos/contoso/fraud-model/issues", r => r.Q("labels") == "ai-incident"
            ? FakeResponse.Error(401, "Bad credentials")
            : FakeResponse.Ok(TicketFixtures.GitHubIssues(r.Q("state") == "open" ? "issues-open.json" : "issues-closed.json")));
        h.Fake.Get("repos/contoso/fraud-model/issues/12/events", TicketFixtures.GitHubIssues("events-12.json"));
        h.Fake.Get("repos/contoso/fraud-model/issues/13/events", TicketFixtures.GitHubIssues("events-13.json"));
        h.Fake.Get("repos/contoso/fraud-model/issues/14/events", "[]");
        h.Fake.Get("repos/contoso/fraud-model/issues/15/events", "[]");

        await h.CollectAsync();

        Assert.Single(await h.ErrorsAsync());
        await AssertStoreHoldsNoneOfAsync(h, TicketingHarness.Secret, "ghp_notARealToken");
    }
}
