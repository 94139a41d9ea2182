using Aims.Evidence;
using Aims.Functions.Hosting;
using Aims.Functions.Notifications;
using Aims.Functions.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace Aims.Functions.Tests.Units;

public sealed class SettingsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Theory]
    [InlineData(null, "is not set")]
    [InlineData("", "is not set")]
    [InlineData("http", "not a TCP port")]
    [InlineData("70000", "not a TCP port")]
    [InlineData("-1", "not a TCP port")]
    public void A_missing_or_invalid_port_names_FUNCTIONS_CUSTOMHANDLER_PORT(string? value, string reason)
    {
        var error = Assert.Throws<InvalidSettingException>(() => HandlerPort.Read(Config(("FUNCTIONS_CUSTOMHANDLER_PORT", value))));

        Assert.Equal("FUNCTIONS_CUSTOMHANDLER_PORT", error.Setting);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void Reads_the_port_the_host_gives()
    {
        Assert.Equal(40123, HandlerPort.Read(Config(("FUNCTIONS_CUSTOMHANDLER_PORT", "40123"))));
    }

    [Fact]
    public void The_store_is_required()
    {
        var error = Assert.Throws<InvalidSettingException>(() => FunctionsSettings.Read(Config()));

        Assert.Equal("Aims:Store", error.Setting);
    }

    [Fact]
    public void A_schedule_that_is_not_six_field_ncrontab_names_its_app_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => FunctionsSettings.Read(Config(("Aims:Store", "store"), ("AIMS_COLLECT_SCHEDULE", "0 2 * * *"))));

        Assert.Equal("AIMS_COLLECT_SCHEDULE", error.Setting);
    }

    [Fact]
    public void SasLinks_must_be_true_or_false()
    {
        var error = Assert.Throws<InvalidSettingException>(() => FunctionsSettings.Read(Config(("Aims:Store", "store"), ("Aims:Bundles:SasLinks", "yes"))));

        Assert.Equal("Aims:Bundles:SasLinks", error.Setting);
        Assert.True(FunctionsSettings.Read(Config(("Aims:Store", "store"), ("Aims:Bundles:SasLinks", "True"))).BundleSasLinks);
    }

    [Fact]
    public void No_notification_setting_means_no_channel()
    {
        Assert.False(NotificationSettings.Read(Config()).Any);
    }

    [Fact]
    public void Reads_every_channel()
    {
        var settings = NotificationSettings.Read(Config(
            ("Aims:Notifications:Teams:WebhookUrl", "https://contoso.webhook.office.com/webhookb2/abc"),
            ("Aims:Notifications:Email:Sender", "aims@contoso.example"),
            ("Aims:Notifications:Email:To", "lead@contoso.example; auditor@contoso.example"),
            ("Aims:Notifications:GitHubIssue:Repository", "contoso/compliance"),
            ("Aims:Notifications:GitHubIssue:Token", "ghp_test")));

        Assert.Equal(["lead@contoso.example", "auditor@contoso.example"], settings.Email!.To);
        Assert.Equal(NotificationSettings.DefaultGraphBaseUrl, settings.Email.GraphBaseUrl);
        Assert.Equal("compliance", settings.GitHubIssue!.Repository);
        Assert.Equal(NotificationSettings.DefaultGitHubBaseUrl, settings.GitHubIssue.BaseUrl);
    }

    [Theory]
    [InlineData("Aims:Notifications:Teams:WebhookUrl", "http://teams.example/hook", "Aims:Notifications:Teams:WebhookUrl", "https")]
    [InlineData("Aims:Notifications:Email:Sender", "aims@contoso.example", "Aims:Notifications:Email:To", "required")]
    [InlineData("Aims:Notifications:Email:To", "lead@contoso.example", "Aims:Notifications:Email:Sender", "required")]
    [InlineData("Aims:Notifications:GitHubIssue:Repository", "contoso", "Aims:Notifications:GitHubIssue:Repository", "owner/name")]
    [InlineData("Aims:Notifications:GitHubIssue:Repository", "contoso/compliance", "Aims:Notifications:GitHubIssue:Token", "required")]
    public void An_incomplete_channel_names_the_setting_to_fix(string key, string value, string setting, string reason)
    {
        var error = Assert.Throws<InvalidSettingException>(() => NotificationSettings.Read(Config((key, value))));

        Assert.Equal(setting, error.Setting);
        Assert.Contains(reason, error.Reason);
    }

    [Fact]
    public void The_Graph_base_url_must_be_https_even_on_this_machine()
    {
        var error = Assert.Throws<InvalidSettingException>(() => NotificationSettings.Read(Config(
            ("Aims:Notifications:Email:Sender", "aims@contoso.example"), ("Aims:Notifications:Email:To", "a@contoso.example"),
            ("Aims:Notifications:Email:GraphBaseUrl", "http://127.0.0.1:5000/v1.0"))));

        Assert.Equal("Aims:Notifications:Email:GraphBaseUrl", error.Setting);
    }

    [Fact]
    public async Task The_handler_refuses_to_start_with_an_invalid_setting_and_names_it()
    {
        var error = await Assert.ThrowsAsync<InvalidSettingException>(() => HandlerHost.StartAsync(new Dictionary<string, string?> { ["Aims:Sources:Nope:Path"] = "x" }));

        Assert.Equal("Aims:Sources:Nope", error.Setting);
    }
}
