using Aims.Collectors.Sources;
using Aims.Collectors.Ticketing.GitHubIssues;
using Aims.Collectors.Ticketing.Jira;
using Aims.Collectors.Ticketing.ServiceNow;
using Aims.Evidence;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Tests.Ticketing;

/// <summary>Describing, validating and planning the three ticketing sources from configuration.</summary>
public sealed class TicketingSourceTests
{
    private static IConfigurationSection Section(string name, params (string Key, string Value)[] settings) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(settings
                .GroupBy(s => s.Key, StringComparer.OrdinalIgnoreCase)
                .Select(g => new KeyValuePair<string, string?>($"Aims:Sources:{name}:{g.Key}", g.Last().Value)))
            .Build()
            .GetSection($"Aims:Sources:{name}");

    private static InvalidSettingException Invalid(IEvidenceSource source, params (string Key, string Value)[] settings)
    {
        using var temp = new TempDirectory("aims-ticketing-settings");
        var context = new SourceContext(TimeProvider.System, NullLoggerFactory.Instance, temp.Path);
        return Assert.Throws<InvalidSettingException>(() => source.Create(Section(source.Name, settings), context));
    }

    private static readonly (string, string)[] Jira = [("BaseUrl", "https://contoso.atlassian.net"), ("Email", "bot@contoso.example"), ("ApiToken", "t0k")];

    private static readonly (string, string)[] ServiceNow = [("BaseUrl", "https://contoso.service-now.com"), ("Username", "aims"), ("Password", "pw")];

    private static readonly (string, string)[] GitHubIssues = [("Token", "t0k"), ("Repositories", "contoso/fraud-model")];

    public sealed class Describe
    {
        [Fact]
        public void Unconfigured_sources_say_what_to_set()
        {
            var jira = new JiraSource().Describe(Section("Jira"));
            var serviceNow = new ServiceNowSource().Describe(Section("ServiceNow"));
            var issues = new GitHubIssuesSource().Describe(Section("GitHubIssues"));

            Assert.All([jira, serviceNow, issues], s =>
            {
                Assert.False(s.Configured);
                Assert.Equal("ticketing", s.Family);
                Assert.StartsWith("not configured: set Aims:Sources:", s.Detail, StringComparison.Ordinal);
            });
            Assert.Contains("BaseUrl", jira.Detail);
            Assert.Contains("Repositories", issues.Detail);
        }

        [Fact]
        public void Configured_sources_describe_where_and_what_without_the_secret()
        {
            var jira = new JiraSource().Describe(Section("Jira", [.. Jira, ("ApiToken", TicketingHarness.Secret)]));
            var serviceNow = new ServiceNowSource().Describe(Section("ServiceNow", [.. ServiceNow, ("Password", TicketingHarness.Secret)]));
            var issues = new GitHubIssuesSource().Describe(Section("GitHubIssues", [.. GitHubIssues, ("Token", TicketingHarness.Secret)]));

            Assert.Equal("contoso.atlassian.net: incidents, concerns, change-requests, impact-assessments, vendor-reviews, nonconformities in all projects the queries find; API token (Basic)", jira.Detail);
            Assert.Equal("contoso.service-now.com: incidents from incident, change-requests from change_request; user and password (Basic)", serviceNow.Detail);
            Assert.Equal("api.github.com: incidents, concerns, change-requests, impact-assessments, vendor-reviews, nonconformities in 1 repository; token", issues.Detail);
            Assert.All([jira, serviceNow, issues], s =>
            {
                Assert.True(s.Configured);
                Assert.DoesNotContain(TicketingHarness.Secret, s.Detail, StringComparison.Ordinal);
            });
        }

        [Fact]
        public void A_misconfigured_source_is_configured_and_says_why()
        {
            var state = new JiraSource().Describe(Section("Jira", ("BaseUrl", "https://contoso.atlassian.net")));

            Assert.True(state.Configured);
            Assert.StartsWith("misconfigured: Setting 'Aims:Sources:Jira:ApiToken'", state.Detail, StringComparison.Ordinal);
        }
    }

    public sealed class JiraSettingsValidation
    {
        [Theory]
        [InlineData("BaseUrl", "http://jira.contoso.example", "Aims:Sources:Jira:BaseUrl", "https")]
        [InlineData("BaseUrl", "https://contoso.atlassian.net/?x=1", "Aims:Sources:Jira:BaseUrl", "without query")]
        [InlineData("Projects", "FRAUD,FR-AUD", "Aims:Sources:Jira:Projects", "FR-AUD")]
        [InlineData("Queries:Incidents", "labels = ai ORDER BY created", "Aims:Sources:Jira:Queries:Incidents", "ORDER BY")]
        [InlineData("Queries:Incidents", "summary ~ \"open quote", "Aims:Sources:Jira:Queries:Incidents", "unterminated")]
        [InlineData("Queries:Incident", "labels = ai", "Aims:Sources:Jira:Queries:Incident", "not a ticket kind")]
        [InlineData("Kinds", "incidents,bogus", "Aims:Sources:Jira:Kinds", "bogus")]
        [InlineData("PageSize", "0", "Aims:Sources:Jira:PageSize", "1 to 5000")]
        [InlineData("NotifiedField", "notified at", "Aims:Sources:Jira:NotifiedField", "field id")]
        [InlineData("MaxRateLimitWait", "forever", "Aims:Sources:Jira:MaxRateLimitWait", "duration")]
        [InlineData("BearerToken", "also-a-token", "Aims:Sources:Jira:BearerToken", "not both")]
        public void Invalid_settings_name_the_setting(string key, string value, string setting, string reason)
        {
            var ex = Invalid(new JiraSource(), [.. Jira.Where(s => s.Item1 != key), (key, value)]);

            Assert.Equal(setting, ex.Setting);
            Assert.Contains(reason, ex.Reason);
        }

        [Fact]
        public void A_missing_api_token_names_the_environment_variable()
        {
            var ex = Invalid(new JiraSource(), ("BaseUrl", "https://contoso.atlassian.net"), ("Email", "bot@contoso.example"));

            Assert.Equal("Aims:Sources:Jira:ApiToken", ex.Setting);
            Assert.Contains("Aims__Sources__Jira__ApiToken", ex.Reason);
        }

        [Fact]
        public void An_api_token_without_email_names_the_email()
        {
            Assert.Equal("Aims:Sources:Jira:Email", Invalid(new JiraSource(), ("BaseUrl", "https://contoso.atlassian.net"), ("ApiToken", "t")).Setting);
        }

        [Fact]
        public void The_base_url_is_required()
        {
            Assert.Equal("Aims:Sources:Jira:BaseUrl", Invalid(new JiraSource(), ("Email", "bot@contoso.example"), ("ApiToken", "t")).Setting);
        }
    }

    public sealed class ServiceNowSettingsValidation
    {
        [Theory]
        [InlineData("Tables:Incidents", "Incident Table", "Aims:Sources:ServiceNow:Tables:Incidents", "table name")]
        [InlineData("Queries:Incidents", "active=true^ORDERBYnumber", "Aims:Sources:ServiceNow:Queries:Incidents", "ORDERBY")]
        [InlineData("Queries:VendorReviews", "active=true", "Aims:Sources:ServiceNow:Tables:VendorReviews", "the table the query runs on")]
        [InlineData("Kinds", "incidents,nonconformities", "Aims:Sources:ServiceNow:Tables:Nonconformities", "required to collect nonconformities")]
        [InlineData("GroupBy", "category", "Aims:Sources:ServiceNow:GroupBy", "assignment_group")]
        [InlineData("ApprovalBatchSize", "500", "Aims:Sources:ServiceNow:ApprovalBatchSize", "1 to 200")]
        [InlineData("NotifiedField", "U-Notified", "Aims:Sources:ServiceNow:NotifiedField", "field name")]
        [InlineData("BaseUrl", "ftp://contoso.service-now.com", "Aims:Sources:ServiceNow:BaseUrl", "http(s)")]
        public void Invalid_settings_name_the_setting(string key, string value, string setting, string reason)
        {
            var ex = Invalid(new ServiceNowSource(), [.. ServiceNow.Where(s => s.Item1 != key), (key, value)]);

            Assert.Equal(setting, ex.Setting);
            Assert.Contains(reason, ex.Reason);
        }

        [Fact]
        public void A_username_without_password_names_the_password_and_its_environment_variable()
        {
            var ex = Invalid(new ServiceNowSource(), ("BaseUrl", "https://contoso.service-now.com"), ("Username", "aims"));

            Assert.Equal("Aims:Sources:ServiceNow:Password", ex.Setting);
            Assert.Contains("Aims__Sources__ServiceNow__Password", ex.Reason);
        }
    }

    public sealed class GitHubIssuesSettingsValidation
    {
        [Theory]
        [InlineData("Repositories", "contoso", "Aims:Sources:GitHubIssues:Repositories:0", "owner/name")]
        [InlineData("Labels:Incident", "ai", "Aims:Sources:GitHubIssues:Labels:Incident", "not a ticket kind")]
        [InlineData("ReposPerJob", "0", "Aims:Sources:GitHubIssues:ReposPerJob", "1 to 500")]
        [InlineData("Token", "two words", "Aims:Sources:GitHubIssues:Token", "whitespace")]
        [InlineData("BaseUrl", "http://ghe.contoso.example/api/v3", "Aims:Sources:GitHubIssues:BaseUrl", "https")]
        public void Invalid_settings_name_the_setting(string key, string value, string setting, string reason)
        {
            var ex = Invalid(new GitHubIssuesSource(), [.. GitHubIssues.Where(s => s.Item1 != key), (key, value)]);

            Assert.Equal(setting, ex.Setting);
            Assert.Contains(reason, ex.Reason);
        }

        [Fact]
        public void The_token_is_required_and_names_its_environment_variable()
        {
            var ex = Invalid(new GitHubIssuesSource(), ("Repositories", "contoso/fraud-model"));

            Assert.Equal("Aims:Sources:GitHubIssues:Token", ex.Setting);
            Assert.Contains("Aims__Sources__GitHubIssues__Token", ex.Reason);
        }
    }

    public sealed class Plan
    {
        [Fact]
        public async Task Jira_plans_one_job_per_kind()
        {
            await using var h = await TicketingHarness.JiraAsync();
            var jobs = await h.PlanAsync(h.Create());

            Assert.Equal(["jira:incidents", "jira:concerns", "jira:change-requests", "jira:impact-assessments", "jira:vendor-reviews", "jira:nonconformities"], jobs.Select(j => j.JobId).ToArray());
            Assert.All(jobs, j =>
            {
                Assert.Equal("Jira", j.Source);
                Assert.Equal(TicketingHarness.Period, j.Period);
                Assert.Equal(j.JobId["jira:".Length..], j.Parameter("kind"));
            });
        }

        [Fact]
        public async Task ServiceNow_plans_the_kinds_that_have_a_table()
        {
            await using var h = await TicketingHarness.ServiceNowAsync();
            h.Settings["Tables:Nonconformities"] = "sn_grc_issue";
            var collector = h.Create();
            var jobs = await h.PlanAsync(collector);

            Assert.Equal(["servicenow:incidents", "servicenow:change-requests", "servicenow:nonconformities"], jobs.Select(j => j.JobId).ToArray());
            Assert.Equal(["ticket.incidents", "ticket.change-requests", "ticket.nonconformities"], collector.Kinds);
        }

        [Fact]
        public async Task GitHub_issues_plans_kinds_by_slices_of_repositories()
        {
            await using var h = await TicketingHarness.GitHubIssuesAsync();
            h.Settings["Repositories"] = "contoso/c,contoso/a,contoso/b";
            h.Settings["ReposPerJob"] = "2";
            h.Settings["Kinds"] = "concerns,incidents";
            var jobs = await h.PlanAsync(h.Create());

            Assert.Equal(["github-issues:incidents:0001", "github-issues:incidents:0002", "github-issues:concerns:0001", "github-issues:concerns:0002"], jobs.Select(j => j.JobId).ToArray());
            Assert.Equal(["contoso/a,contoso/b", "contoso/c"], jobs.Take(2).Select(j => j.Parameter("repositories")!).ToArray());
        }

        [Fact]
        public async Task A_job_for_a_kind_that_is_not_enabled_is_refused()
        {
            await using var h = await TicketingHarness.JiraAsync();
            h.Settings["Kinds"] = "incidents";
            var collector = h.Create();
            var job = new Aims.Evidence.Collection.CollectionJob("run-1", "jira:concerns", "Jira", TicketingHarness.Period, new Dictionary<string, string> { ["kind"] = "concerns" });

            var ex = await Assert.ThrowsAsync<FormatException>(() => h.RunAsync(collector, job));

            Assert.Contains("not enabled", ex.Message);
            Assert.Empty(h.Fake.Requests);
        }
    }
}
