namespace Aims.Functions.Hosting;

/// <summary>
/// Every app setting the Functions app reads by name, in the spelling app settings and Bicep use (<c>__</c> for the
/// configuration system's <c>:</c>). infra/ and docs/deploy.md may name only these and the shared ones under
/// <c>Aims__</c>; a test checks it.
/// </summary>
public static class AppSettingNames
{
    /// <summary>Always <c>dotnet-isolated</c>: the host starts this app as an isolated worker.</summary>
    public const string WorkerRuntime = "FUNCTIONS_WORKER_RUNTIME";

    /// <summary>The storage account of the queue triggers (a connection string, or <c>__accountName</c>/<c>__queueServiceUri</c>/<c>__tableServiceUri</c> with a managed identity).</summary>
    public const string Storage = "AzureWebJobsStorage";

    /// <summary>Optional: a JSON configuration file (same shape as the CLI's <c>aims.json</c>), relative to the app root.</summary>
    public const string ConfigFile = "AIMS_CONFIG";

    /// <summary>NCRONTAB schedule of ScheduleCollection (the host reads it through <c>%AIMS_COLLECT_SCHEDULE%</c>; the app reads it to name a run after its tick).</summary>
    public const string CollectSchedule = "AIMS_COLLECT_SCHEDULE";

    /// <summary>NCRONTAB schedule of CheckRuns, the safety net for runs whose jobs never all finished.</summary>
    public const string CheckRunsSchedule = "AIMS_CHECK_RUNS_SCHEDULE";

    /// <summary>Application Insights; telemetry is registered only when it is set.</summary>
    public const string ApplicationInsights = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>How long a run may take before CheckRuns analyses it anyway and names the jobs that never finished (default 06:00:00).</summary>
    public const string RunsCompleteWithin = "Aims:Runs:CompleteWithin";

    /// <summary>Service Bus namespace (<c>name.servicebus.windows.net</c>, managed identity) events are published to.</summary>
    public const string ServiceBusNamespace = "Aims:Events:ServiceBus:FullyQualifiedNamespace";

    /// <summary>Alternative to the namespace outside Azure: a Service Bus connection string (a Key Vault reference in Azure).</summary>
    public const string ServiceBusConnectionString = "Aims:Events:ServiceBus:ConnectionString";

    /// <summary>The topic run-completed and gap-changed events go to.</summary>
    public const string ServiceBusTopic = "Aims:Events:ServiceBus:Topic";

    /// <summary>The app-setting spelling of a configuration key (<c>Aims:Store</c> → <c>Aims__Store</c>).</summary>
    public static string AppSetting(string key) => key.Replace(":", "__", StringComparison.Ordinal);
}
