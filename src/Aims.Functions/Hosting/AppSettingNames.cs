namespace Aims.Functions.Hosting;

/// <summary>
/// Every app setting the handler reads by name, in the spelling the Functions host and Bicep use
/// (<c>__</c> for the configuration system's <c>:</c>). infra/ must declare each one; a test checks it.
/// </summary>
public static class AppSettingNames
{
    /// <summary>Set by the Functions host: the loopback port the handler must listen on.</summary>
    public const string CustomHandlerPort = "FUNCTIONS_CUSTOMHANDLER_PORT";

    /// <summary>Optional: a JSON configuration file (same shape as the CLI's <c>aims.json</c>), relative to the app root.</summary>
    public const string ConfigFile = "AIMS_CONFIG";

    /// <summary>NCRONTAB schedule of ScheduleCollection; the handler reads it to name the run after the scheduled tick.</summary>
    public const string CollectSchedule = "AIMS_COLLECT_SCHEDULE";

    /// <summary>NCRONTAB schedule of AnalyzeGaps (read by the host through function.json).</summary>
    public const string AnalyzeSchedule = "AIMS_ANALYZE_SCHEDULE";

    /// <summary>Where evidence lives: a folder, a connection string, or a container URL (managed identity).</summary>
    public const string Store = "Aims__Store";

    /// <summary>Client id of the user-assigned managed identity that DefaultAzureCredential should use.</summary>
    public const string ManagedIdentityClientId = "AZURE_CLIENT_ID";

    public const string BundlesSasLinks = "Aims__Bundles__SasLinks";
    public const string DigestUrl = "Aims__Notifications__DigestUrl";
    public const string TeamsWebhookUrl = "Aims__Notifications__Teams__WebhookUrl";
    public const string EmailSender = "Aims__Notifications__Email__Sender";
    public const string EmailTo = "Aims__Notifications__Email__To";
    public const string EmailGraphBaseUrl = "Aims__Notifications__Email__GraphBaseUrl";
    public const string GitHubIssueRepository = "Aims__Notifications__GitHubIssue__Repository";
    public const string GitHubIssueBaseUrl = "Aims__Notifications__GitHubIssue__BaseUrl";
    public const string GitHubIssueToken = "Aims__Notifications__GitHubIssue__Token";

    /// <summary>The configuration key (<c>Aims:Store</c>) for an app setting name (<c>Aims__Store</c>).</summary>
    public static string Key(string appSetting) => appSetting.Replace("__", ":", StringComparison.Ordinal);
}
