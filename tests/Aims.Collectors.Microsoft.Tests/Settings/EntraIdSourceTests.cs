using Aims.Collectors.Microsoft.Entra;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Microsoft.Tests.Settings;

public sealed class EntraIdSourceTests
{
    private const string Path = "Aims:Sources:EntraId";

    private static SourceContext Context(string baseDirectory = ".") =>
        new(TimeProvider.System, NullLoggerFactory.Instance, baseDirectory, Credential: new FakeTokenCredential());

    private static InvalidSettingException CreateFails(Dictionary<string, string?> values) =>
        Assert.Throws<InvalidSettingException>(() => new EntraIdSource().Create(EvidenceHarness.Section(Path, values), Context()));

    public sealed class Create
    {
        [Theory]
        [InlineData("http://graph.microsoft.com/v1.0", "must use https")]
        [InlineData("graph.microsoft.com/v1.0", "not an absolute URL")]
        [InlineData("https://graph.microsoft.com", "needs the API version")]
        [InlineData("https://graph.microsoft.com/v1.0?x=1", "query")]
        public void A_bad_BaseUrl_is_rejected_naming_the_setting(string baseUrl, string reason)
        {
            var ex = CreateFails(new() { ["BaseUrl"] = baseUrl });

            Assert.Equal("Aims:Sources:EntraId:BaseUrl", ex.Setting);
            Assert.Contains(reason, ex.Reason);
        }

        [Theory]
        [InlineData("-1")]
        [InlineData("91")]
        [InlineData("weekly")]
        public void FullReadEveryDays_outside_0_to_90_is_rejected_naming_the_setting(string value)
        {
            var ex = CreateFails(new() { ["FullReadEveryDays"] = value });

            Assert.Equal("Aims:Sources:EntraId:FullReadEveryDays", ex.Setting);
            Assert.Contains("from 0 to 90", ex.Reason);
        }

        [Fact]
        public void FullReadEveryDays_defaults_to_the_seven_days_graph_keeps_directory_delta_tokens()
        {
            var settings = EntraIdSettings.Read(EvidenceHarness.Section(Path, []), Context());

            Assert.Equal(7, settings.FullReadEveryDays);
        }

        [Fact]
        public void An_unknown_credential_kind_is_rejected_even_when_a_credential_is_supplied()
        {
            var ex = CreateFails(new() { ["Credential"] = "Kerberos" });

            Assert.Equal("Aims:Sources:EntraId:Credential", ex.Setting);
            Assert.Contains("DefaultAzure, ClientSecret, ClientCertificate, AzureCli, ManagedIdentity", ex.Reason);
        }

        [Fact]
        public void A_group_that_is_not_a_guid_is_rejected_because_ids_go_into_OData_filters()
        {
            var ex = CreateFails(new() { ["Groups:0"] = "AI Board' or 1 eq 1" });

            Assert.Equal("Aims:Sources:EntraId:Groups", ex.Setting);
        }

        [Fact]
        public void A_client_secret_credential_needs_a_tenant()
        {
            var ex = CreateFails(new() { ["Credential"] = "ClientSecret", ["ClientId"] = GraphIds.FraudAppId });

            Assert.Equal("Aims:Sources:EntraId:TenantId", ex.Setting);
        }

        [Fact]
        public void A_certificate_credential_needs_an_existing_file()
        {
            var ex = CreateFails(new()
            {
                ["Credential"] = "ClientCertificate",
                ["TenantId"] = GraphIds.Tenant,
                ["ClientId"] = GraphIds.FraudAppId,
                ["CertificatePath"] = "certs/missing.pem",
            });

            Assert.Equal("Aims:Sources:EntraId:CertificatePath", ex.Setting);
            Assert.Contains("missing.pem", ex.Reason);
        }

        [Fact]
        public void A_national_cloud_base_url_asks_for_that_cloud_s_scope()
        {
            var settings = EntraIdSettings.Read(EvidenceHarness.Section(Path, new() { ["BaseUrl"] = "https://graph.microsoft.us/v1.0/" }), Context());

            Assert.Equal("https://graph.microsoft.us/.default", settings.Scope);
            Assert.Equal("https://graph.microsoft.us/v1.0", settings.BaseUrl.ToString());
        }

        [Fact]
        public void Defaults_cover_the_public_cloud_the_ai_system_tag_and_the_privileged_roles()
        {
            var settings = EntraIdSettings.Read(EvidenceHarness.Section(Path, new() { ["Groups"] = $"{GraphIds.GovernanceGroup}, {GraphIds.UnrelatedGroup}" }), Context());

            Assert.Equal("https://graph.microsoft.com/.default", settings.Scope);
            Assert.Equal(["ai-system"], settings.AppTags);
            Assert.Contains(GraphIds.AiAdministrator, settings.PrivilegedRoles);
            Assert.Equal([GraphIds.GovernanceGroup, GraphIds.UnrelatedGroup], settings.Groups);
            Assert.Equal(Aims.Collectors.Microsoft.Settings.CredentialKind.DefaultAzure, settings.Credential.Kind);
        }
    }

    public sealed class PlanAsync
    {
        [Fact]
        public async Task Plans_one_job_per_evidence_area()
        {
            var collector = new EntraIdSource().Create(EvidenceHarness.Section(Path, new() { ["Groups:0"] = GraphIds.GovernanceGroup }), Context());

            var jobs = await Plan(collector);

            Assert.Equal(collector.Kinds, jobs.Select(j => j.Parameter("kind")));
            Assert.Equal(7, jobs.Select(j => j.JobId).Distinct().Count());
            Assert.All(jobs, j => Assert.Equal("EntraId", j.Source));
        }

        [Fact]
        public async Task Without_groups_there_is_no_group_members_job()
        {
            var collector = new EntraIdSource().Create(EvidenceHarness.Section(Path, new() { ["TenantId"] = GraphIds.Tenant }), Context());

            var jobs = await Plan(collector);

            Assert.DoesNotContain(jobs, j => j.Parameter("kind") == "entra.group-members");
            Assert.Equal(6, jobs.Count);
        }

        private static async Task<List<CollectionJob>> Plan(IEvidenceCollector collector)
        {
            var jobs = new List<CollectionJob>();
            await foreach (var job in collector.PlanAsync(new CollectionPlan("run-1", EvidenceHarness.Period)))
            {
                jobs.Add(job);
            }

            return jobs;
        }
    }

    public sealed class Describe
    {
        [Fact]
        public void An_absent_section_is_not_configured()
        {
            var state = new EntraIdSource().Describe(EvidenceHarness.Section(Path, new Dictionary<string, string?>()));

            Assert.False(state.Configured);
            Assert.Equal("entra", state.Family);
        }

        [Fact]
        public void A_configured_section_is_summarized_without_secrets()
        {
            var state = new EntraIdSource().Describe(EvidenceHarness.Section(Path, new() { ["Groups:0"] = GraphIds.GovernanceGroup, ["ClientSecret"] = "s3cr3t-value" }));

            Assert.True(state.Configured);
            Assert.Contains("graph.microsoft.com, 1 groups", state.Detail);
            Assert.DoesNotContain("s3cr3t", state.Detail);
        }

        [Fact]
        public void A_relative_certificate_path_is_not_checked_when_only_describing()
        {
            var state = new EntraIdSource().Describe(EvidenceHarness.Section(Path, new()
            {
                ["Credential"] = "ClientCertificate",
                ["TenantId"] = GraphIds.Tenant,
                ["ClientId"] = GraphIds.FraudAppId,
                ["CertificatePath"] = "certs/aims.pem",
            }));

            Assert.EndsWith("credential ClientCertificate", state.Detail);
        }

        [Fact]
        public void An_invalid_section_says_what_is_wrong()
        {
            var state = new EntraIdSource().Describe(EvidenceHarness.Section(Path, new() { ["BaseUrl"] = "http://graph" }));

            Assert.StartsWith("misconfigured: Setting 'Aims:Sources:EntraId:BaseUrl'", state.Detail);
        }
    }
}
