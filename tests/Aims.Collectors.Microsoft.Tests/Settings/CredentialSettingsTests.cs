using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Testing;
using Azure.Identity;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Microsoft.Tests.Settings;

/// <summary>
/// The credential chosen by configuration. Only credentials that touch nothing when built are built here:
/// DefaultAzureCredential and ManagedIdentityCredential would probe the instance metadata service.
/// </summary>
public sealed class CredentialSettingsTests
{
    private const string Path = "Aims:Sources:Azure";

    private static CredentialSettings Read(Dictionary<string, string?> values, string baseDirectory = ".") =>
        CredentialSettings.Read(EvidenceHarness.Section(Path, values), new SourceContext(TimeProvider.System, NullLoggerFactory.Instance, baseDirectory));

    [Fact]
    public void A_client_secret_is_read_from_the_named_environment_variable()
    {
        var settings = Read(new() { ["Credential"] = "clientsecret", ["TenantId"] = GraphIds.Tenant, ["ClientId"] = GraphIds.FraudAppId, ["ClientSecretVariable"] = "AIMS_TEST_SECRET" });
        string? asked = null;

        var credential = settings.Create(
            name =>
            {
                asked = name;
                return "value-from-environment";
            },
            TimeProvider.System);

        Assert.IsType<ClientSecretCredential>(credential);
        Assert.Equal("AIMS_TEST_SECRET", asked);
    }

    [Fact]
    public void A_missing_client_secret_variable_names_the_setting_and_the_variable()
    {
        var settings = Read(new() { ["Credential"] = "ClientSecret", ["TenantId"] = GraphIds.Tenant, ["ClientId"] = GraphIds.FraudAppId });

        var ex = Assert.Throws<InvalidSettingException>(() => settings.Create(_ => null, TimeProvider.System));

        Assert.Equal("Aims:Sources:Azure:ClientSecretVariable", ex.Setting);
        Assert.Contains("AZURE_CLIENT_SECRET", ex.Reason);
    }

    [Fact]
    public void A_certificate_path_resolves_against_the_configuration_folder()
    {
        using var folder = new TempDirectory();
        File.WriteAllText(folder.Combine("app.pem"), "-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n");

        var settings = Read(new() { ["Credential"] = "ClientCertificate", ["TenantId"] = GraphIds.Tenant, ["ClientId"] = GraphIds.FraudAppId, ["CertificatePath"] = "app.pem" }, folder.Path);

        Assert.Equal(folder.Combine("app.pem"), settings.CertificatePath);
        Assert.IsType<ClientCertificateCredential>(settings.Create(_ => null, TimeProvider.System));
    }

    [Fact]
    public void The_Azure_CLI_credential_is_built_for_the_configured_tenant()
    {
        var settings = Read(new() { ["Credential"] = "AzureCli", ["TenantId"] = GraphIds.Tenant });

        Assert.IsType<ScopeTokenCache>(settings.Create(_ => null, TimeProvider.System));
        Assert.Equal(CredentialKind.AzureCli, settings.Kind);
    }

    [Theory]
    [InlineData("ManagedIdentity", CredentialKind.ManagedIdentity)]
    [InlineData("defaultazure", CredentialKind.DefaultAzure)]
    public void Kinds_that_would_probe_the_metadata_service_are_only_read(string text, CredentialKind kind)
    {
        Assert.Equal(kind, Read(new() { ["Credential"] = text }).Kind);
    }

    [Theory]
    [InlineData("3")]
    [InlineData("Interactive")]
    public void Unknown_kinds_name_the_setting(string text)
    {
        var ex = Assert.Throws<InvalidSettingException>(() => Read(new() { ["Credential"] = text }));

        Assert.Equal("Aims:Sources:Azure:Credential", ex.Setting);
    }

    [Fact]
    public void A_client_id_that_is_not_a_guid_names_the_setting()
    {
        var ex = Assert.Throws<InvalidSettingException>(() => Read(new() { ["Credential"] = "ManagedIdentity", ["ClientId"] = "my-identity" }));

        Assert.Equal("Aims:Sources:Azure:ClientId", ex.Setting);
    }
}
