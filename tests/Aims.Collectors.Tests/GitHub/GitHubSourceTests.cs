using Aims.Collectors.GitHub;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Tests.GitHub;

public sealed class GitHubSourceTests
{
    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"Aims:Sources:GitHub:{v.Key}", v.Value)))
            .Build()
            .GetSection("Aims:Sources:GitHub");

    [Fact]
    public void Names_itself_GitHub_in_the_github_family()
    {
        var source = new GitHubSource();

        Assert.Equal("GitHub", source.Name);
        Assert.Equal("github", source.Family);
    }

    [Fact]
    public void An_absent_section_is_not_configured()
    {
        var state = new GitHubSource().Describe(Section());

        Assert.False(state.Configured);
        Assert.Contains("Aims:Sources:GitHub:Organization", state.Detail);
    }

    [Fact]
    public void A_configured_section_is_described_by_host_scope_and_credential_kind()
    {
        var state = new GitHubSource().Describe(Section(("Token", "s3cr3t-value"), ("Organization", "contoso"), ("Topic", "ai-system")));

        Assert.True(state.Configured);
        Assert.Equal("api.github.com: organization contoso, topic ai-system; token", state.Detail);
    }

    [Fact]
    public void An_app_is_described_without_reading_its_key()
    {
        var state = new GitHubSource().Describe(Section(("AppId", "42"), ("InstallationId", "7"), ("PrivateKeyPath", "/nonexistent.pem"), ("Repositories", "contoso/a")));

        Assert.True(state.Configured);
        Assert.Contains("GitHub App 42, installation 7", state.Detail);
    }

    [Fact]
    public void An_invalid_section_is_described_as_misconfigured_naming_the_setting()
    {
        var state = new GitHubSource().Describe(Section(("Token", "t"), ("Repositories", "contoso/a"), ("ReposPerJob", "0")));

        Assert.True(state.Configured);
        Assert.Contains("Aims:Sources:GitHub:ReposPerJob", state.Detail);
    }

    [Fact]
    public void Create_throws_naming_the_setting()
    {
        var context = new SourceContext(TimeProvider.System, NullLoggerFactory.Instance, ".");

        var ex = Assert.Throws<InvalidSettingException>(() => new GitHubSource().Create(Section(("Token", "t"), ("BaseUrl", "nope"), ("Repositories", "contoso/a")), context));

        Assert.Equal("Aims:Sources:GitHub:BaseUrl", ex.Setting);
    }

    [Fact]
    public void Create_builds_a_collector_that_lists_the_kinds_it_may_produce()
    {
        var context = new SourceContext(TimeProvider.System, NullLoggerFactory.Instance, ".");

        var collector = new GitHubSource().Create(
            Section(("Token", "t"), ("Repositories", "contoso/a"), ("EvaluationWorkflows", "evaluate.yml"), ("GovernanceRepository", "contoso/gov"), ("PolicyPaths", "policies")),
            context);

        Assert.Equal("GitHub", collector.Source);
        Assert.All(collector.Kinds, k => Assert.True(EvidenceKinds.IsKnown(k), k));
        Assert.Equal(10, collector.Kinds.Count);
    }
}
