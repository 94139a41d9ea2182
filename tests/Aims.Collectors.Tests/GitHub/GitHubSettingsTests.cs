using System.Security.Cryptography;
using Aims.Collectors.GitHub;
using Aims.Evidence;
using Aims.Testing;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Tests.GitHub;

public sealed class GitHubSettingsTests
{
    private static IConfigurationSection Section(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>($"Aims:Sources:GitHub:{v.Key}", v.Value)))
            .Build()
            .GetSection("Aims:Sources:GitHub");

    private static GitHubSettings Read(params (string, string)[] values) => GitHubSettings.Read(Section(values), p => p);

    private static InvalidSettingException Invalid(params (string, string)[] values) => Assert.Throws<InvalidSettingException>(() => Read(values));

    [Fact]
    public void Defaults_to_the_public_api_ten_repositories_per_job_and_fifteen_minutes_of_rate_limit_wait()
    {
        var settings = Read(("Token", "t0ken-value"), ("Organization", "contoso"), ("Topic", "AI-System"));

        Assert.Equal(new Uri("https://api.github.com/"), settings.BaseUrl);
        Assert.Equal(10, settings.ReposPerJob);
        Assert.Equal(6, settings.RequestsInFlight);
        Assert.Equal(TimeSpan.FromMinutes(15), settings.MaxRateLimitWait);
        Assert.Equal("ai-system", settings.Topic);
        Assert.False(settings.UsesApp);
    }

    [Fact]
    public void Accepts_an_enterprise_server_base_url_lists_in_either_form_and_iso_waits()
    {
        var settings = Read(
            ("BaseUrl", "https://github.example.com/api/v3"),
            ("Token", "t0ken-value"),
            ("Repositories:0", "contoso/a"),
            ("Repositories:1", "contoso/b"),
            ("EvaluationWorkflows", "evaluate.yml, Model evaluation"),
            ("MaxRateLimitWait", "PT5M"));

        Assert.Equal(new Uri("https://github.example.com/api/v3/"), settings.BaseUrl);
        Assert.Equal(["contoso/a", "contoso/b"], settings.Repositories.Select(r => r.FullName).ToArray());
        Assert.Equal(["evaluate.yml", "Model evaluation"], settings.EvaluationWorkflows);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.MaxRateLimitWait);
    }

    [Theory]
    [InlineData("not a url")]
    [InlineData("ftp://github.example.com")]
    [InlineData("http://github.example.com/api/v3")]
    [InlineData("https://github.example.com/api/v3?x=1")]
    [InlineData("https://user:pass@github.example.com/api/v3")]
    public void A_bad_base_url_names_BaseUrl(string url)
    {
        var ex = Invalid(("BaseUrl", url), ("Token", "t"), ("Repositories", "contoso/a"));

        Assert.Equal("Aims:Sources:GitHub:BaseUrl", ex.Setting);
    }

    [Fact]
    public void Both_scope_kinds_name_Repositories()
    {
        var ex = Invalid(("Token", "t"), ("Organization", "contoso"), ("Topic", "ai"), ("Repositories", "contoso/a"));

        Assert.Equal("Aims:Sources:GitHub:Repositories", ex.Setting);
    }

    [Fact]
    public void Neither_scope_kind_names_Organization()
    {
        var ex = Invalid(("Token", "t"));

        Assert.Equal("Aims:Sources:GitHub:Organization", ex.Setting);
    }

    [Fact]
    public void An_organization_without_topic_names_Topic()
    {
        Assert.Equal("Aims:Sources:GitHub:Topic", Invalid(("Token", "t"), ("Organization", "contoso")).Setting);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("ten")]
    public void ReposPerJob_below_one_or_not_a_number_names_ReposPerJob(string value)
    {
        Assert.Equal("Aims:Sources:GitHub:ReposPerJob", Invalid(("Token", "t"), ("Repositories", "contoso/a"), ("ReposPerJob", value)).Setting);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("17")]
    [InlineData("six")]
    public void RequestsInFlight_outside_one_to_sixteen_names_RequestsInFlight(string value)
    {
        Assert.Equal("Aims:Sources:GitHub:RequestsInFlight", Invalid(("Token", "t"), ("Repositories", "contoso/a"), ("RequestsInFlight", value)).Setting);
    }

    [Fact]
    public void A_repository_not_in_owner_name_form_names_its_index()
    {
        var ex = Invalid(("Token", "t"), ("Repositories:0", "contoso/a"), ("Repositories:1", "contoso/b/c"));

        Assert.Equal("Aims:Sources:GitHub:Repositories:1", ex.Setting);
        Assert.Contains("contoso/b/c", ex.Message);
    }

    [Fact]
    public void Missing_credentials_name_Token_and_the_environment_variable()
    {
        var ex = Invalid(("Repositories", "contoso/a"));

        Assert.Equal("Aims:Sources:GitHub:Token", ex.Setting);
        Assert.Contains("Aims__Sources__GitHub__Token", ex.Message);
    }

    [Fact]
    public void A_token_and_an_app_together_name_Token()
    {
        using var key = RSA.Create(2048);
        var ex = Invalid(("Token", "t"), ("AppId", "1"), ("InstallationId", "2"), ("PrivateKey", key.ExportRSAPrivateKeyPem()), ("Repositories", "contoso/a"));

        Assert.Equal("Aims:Sources:GitHub:Token", ex.Setting);
    }

    [Fact]
    public void An_app_without_installation_names_InstallationId()
    {
        using var key = RSA.Create(2048);

        Assert.Equal("Aims:Sources:GitHub:InstallationId", Invalid(("AppId", "1"), ("PrivateKey", key.ExportRSAPrivateKeyPem()), ("Repositories", "contoso/a")).Setting);
    }

    [Fact]
    public void A_private_key_that_is_not_pem_names_PrivateKey_without_echoing_it()
    {
        var ex = Invalid(("AppId", "1"), ("InstallationId", "2"), ("PrivateKey", "not-a-key-but-secret-text"), ("Repositories", "contoso/a"));

        Assert.Equal("Aims:Sources:GitHub:PrivateKey", ex.Setting);
        Assert.DoesNotContain("not-a-key-but-secret-text", ex.Message);
    }

    [Fact]
    public void A_private_key_path_is_resolved_and_read()
    {
        using var temp = new TempDirectory();
        using var key = RSA.Create(2048);
        File.WriteAllText(temp.Combine("app.pem"), key.ExportRSAPrivateKeyPem());

        var settings = GitHubSettings.Read(
            Section(("AppId", "Iv1.abc123"), ("InstallationId", "2"), ("PrivateKeyPath", "app.pem"), ("Repositories", "contoso/a")),
            p => Path.Combine(temp.Path, p));

        Assert.True(settings.UsesApp);
        Assert.Equal("Iv1.abc123", settings.App!.AppId);
    }

    [Fact]
    public void A_missing_private_key_file_names_PrivateKeyPath()
    {
        var ex = Invalid(("AppId", "1"), ("InstallationId", "2"), ("PrivateKeyPath", "/nonexistent/app.pem"), ("Repositories", "contoso/a"));

        Assert.Equal("Aims:Sources:GitHub:PrivateKeyPath", ex.Setting);
    }

    [Fact]
    public void Policy_paths_need_a_governance_repository_and_the_reverse()
    {
        Assert.Equal("Aims:Sources:GitHub:PolicyPaths", Invalid(("Token", "t"), ("GovernanceRepository", "contoso/gov")).Setting);
        Assert.Equal("Aims:Sources:GitHub:GovernanceRepository", Invalid(("Token", "t"), ("Repositories", "contoso/a"), ("PolicyPaths", "policies")).Setting);
        Assert.Equal("Aims:Sources:GitHub:PolicyPaths", Invalid(("Token", "t"), ("GovernanceRepository", "contoso/gov"), ("PolicyPaths", "../etc")).Setting);
    }

    [Fact]
    public void A_bad_rate_limit_wait_names_MaxRateLimitWait()
    {
        Assert.Equal("Aims:Sources:GitHub:MaxRateLimitWait", Invalid(("Token", "t"), ("Repositories", "contoso/a"), ("MaxRateLimitWait", "soon")).Setting);
    }
}
