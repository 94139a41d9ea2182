using Aims.Collectors.Microsoft.Arm;
using Aims.Collectors.Microsoft.Tests.Fixtures;
using Aims.Collectors.Microsoft.Tests.Infrastructure;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Collectors.Microsoft.Tests.Settings;

public sealed class AzureSourceTests
{
    private const string Path = "Aims:Sources:Azure";

    private static SourceContext Context() => new(TimeProvider.System, NullLoggerFactory.Instance, ".", Credential: new FakeTokenCredential());

    private static Dictionary<string, string?> Valid() => new() { ["Subscriptions:0"] = ArmIds.Production };

    private static InvalidSettingException CreateFails(Dictionary<string, string?> values) =>
        Assert.Throws<InvalidSettingException>(() => new AzureSource().Create(EvidenceHarness.Section(Path, values), Context()));

    private static AzureSettings Read(Dictionary<string, string?> values) => AzureSettings.Read(EvidenceHarness.Section(Path, values), Context());

    [Fact]
    public void Without_subscriptions_the_source_names_the_setting()
    {
        var ex = CreateFails(new() { ["Endpoint"] = "https://management.azure.com" });

        Assert.Equal("Aims:Sources:Azure:Subscriptions", ex.Setting);
        Assert.Contains("at least one subscription", ex.Reason);
    }

    [Theory]
    [InlineData("http://management.azure.com", "must use https")]
    [InlineData("https://management.azure.com/subscriptions", "without a path")]
    [InlineData("management", "not an absolute URL")]
    public void A_bad_endpoint_names_the_setting(string endpoint, string reason)
    {
        var values = Valid();
        values["Endpoint"] = endpoint;

        var ex = CreateFails(values);

        Assert.Equal("Aims:Sources:Azure:Endpoint", ex.Setting);
        Assert.Contains(reason, ex.Reason);
    }

    [Fact]
    public void An_unknown_credential_kind_names_the_setting()
    {
        var values = Valid();
        values["Credential"] = "Certificate";

        Assert.Equal("Aims:Sources:Azure:Credential", CreateFails(values).Setting);
    }

    [Fact]
    public void A_subscription_that_is_not_a_guid_names_the_setting()
    {
        Assert.Equal("Aims:Sources:Azure:Subscriptions", CreateFails(new() { ["Subscriptions"] = "AI Production" }).Setting);
    }

    [Fact]
    public void Retries_out_of_range_name_the_setting()
    {
        var values = Valid();
        values["MaxRetries"] = "50";

        Assert.Equal("Aims:Sources:Azure:MaxRetries", CreateFails(values).Setting);
    }

    [Theory]
    [InlineData("https://management.azure.com", "https://management.azure.com//.default")]
    [InlineData("https://management.usgovcloudapi.net", "https://management.usgovcloudapi.net/.default")]
    [InlineData("https://management.chinacloudapi.cn/", "https://management.chinacloudapi.cn/.default")]
    [InlineData("https://arm.contoso.example:8443", "https://arm.contoso.example:8443/.default")]
    public void Known_clouds_keep_their_audience_and_other_endpoints_are_their_own(string endpoint, string scope)
    {
        var values = Valid();
        values["Endpoint"] = endpoint;

        Assert.Equal(scope, Read(values).Environment.DefaultScope);
    }

    [Fact]
    public void Subscriptions_may_be_one_comma_separated_value_and_are_normalized()
    {
        var settings = Read(new() { ["Subscriptions"] = $"{ArmIds.Production.ToUpperInvariant()}, {ArmIds.Broken}" });

        Assert.Equal([ArmIds.Production, ArmIds.Broken], settings.Subscriptions);
        Assert.Equal(3, settings.MaxRetries);
    }

    [Fact]
    public void Describe_summarizes_a_configured_source()
    {
        var state = new AzureSource().Describe(EvidenceHarness.Section(Path, Valid()));

        Assert.True(state.Configured);
        Assert.Equal("azure", state.Family);
        Assert.Equal("management.azure.com, 1 subscriptions, credential DefaultAzure", state.Detail);
    }
}
