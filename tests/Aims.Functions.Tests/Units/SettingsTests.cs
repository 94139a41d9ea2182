using Aims.Evidence;
using Aims.Functions.Hosting;
using Aims.Functions.Notifications;
using Aims.Pipeline.Hosting;
using Aims.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Aims.Functions.Tests.Units;

public sealed class SettingsTests
{
    private static IConfiguration Config(params (string Key, string? Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void The_store_is_required_and_named()
    {
        var services = new ServiceCollection().AddLogging().AddAimsFunctions(Config((AppSettingNames.Storage, "UseDevelopmentStorage=true")), Path.GetTempPath()).BuildServiceProvider();

        var error = Assert.Throws<InvalidSettingException>(services.ValidateAimsFunctions);

        Assert.Equal("Aims:Store", error.Setting);
    }

    [Fact]
    public void Without_a_storage_connection_the_error_names_AzureWebJobsStorage()
    {
        var error = Assert.Throws<InvalidSettingException>(() => StorageClients.Create(Config(), new AzureCredentials(new FakeTokenCredential(), null)));

        Assert.Equal("AzureWebJobsStorage", error.Setting);
    }

    [Fact]
    public void Identity_based_storage_needs_only_the_account_name()
    {
        var clients = StorageClients.Create(Config(("AzureWebJobsStorage:accountName", "contosoaims")), new AzureCredentials(new FakeTokenCredential(), null));

        Assert.Equal("https://contosoaims.queue.core.windows.net/", clients.Queues.Uri.AbsoluteUri);
        Assert.Equal("https://contosoaims.table.core.windows.net/", clients.Tables.Uri.AbsoluteUri);
    }

    [Fact]
    public void A_schedule_that_is_not_six_field_ncrontab_names_its_app_setting()
    {
        var error = Assert.Throws<InvalidSettingException>(() => FunctionsSettings.Read(Config(("AIMS_COLLECT_SCHEDULE", "0 2 * * *"))));

        Assert.Equal("AIMS_COLLECT_SCHEDULE", error.Setting);
    }

    [Fact]
    public void Runs_complete_within_must_be_a_duration()
    {
        var error = Assert.Throws<InvalidSettingException>(() => FunctionsSettings.Read(Config(("Aims:Runs:CompleteWithin", "six hours"))));

        Assert.Equal("Aims:Runs:CompleteWithin", error.Setting);
        Assert.Equal(TimeSpan.FromHours(2), FunctionsSettings.Read(Config(("Aims:Runs:CompleteWithin", "02:00:00"))).RunsCompleteWithin);
    }

    [Theory]
    [InlineData(null, "contoso.servicebus.windows.net", null, "Aims:Events:ServiceBus:Topic")]
    [InlineData("aims-events", null, null, "Aims:Events:ServiceBus:FullyQualifiedNamespace")]
    [InlineData("aims-events", "https://contoso.servicebus.windows.net/", null, "Aims:Events:ServiceBus:FullyQualifiedNamespace")]
    [InlineData("aims-events", "contoso.servicebus.windows.net", "Endpoint=sb://x/", "Aims:Events:ServiceBus:FullyQualifiedNamespace")]
    public void Service_bus_settings_name_what_is_wrong(string? topic, string? ns, string? connection, string setting)
    {
        var error = Assert.Throws<InvalidSettingException>(() => FunctionsSettings.Read(Config(
            ("Aims:Events:ServiceBus:Topic", topic), ("Aims:Events:ServiceBus:FullyQualifiedNamespace", ns), ("Aims:Events:ServiceBus:ConnectionString", connection))));

        Assert.Equal(setting, error.Setting);
    }

    [Fact]
    public void No_service_bus_setting_means_no_events()
    {
        Assert.Null(FunctionsSettings.Read(Config()).Events);
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
    public void The_app_refuses_to_start_with_an_unknown_source_and_names_it()
    {
        using var folder = new TempDirectory();
        var services = new ServiceCollection().AddLogging().AddAimsFunctions(
            Config(("Aims:Store", folder.Path), (AppSettingNames.Storage, "UseDevelopmentStorage=true"), ("Aims:Sources:Nope:Path", "x")), folder.Path).BuildServiceProvider();

        var error = Assert.Throws<InvalidSettingException>(services.ValidateAimsFunctions);

        Assert.Equal("Aims:Sources:Nope", error.Setting);
    }
}
