using Aims.Evidence;
using Aims.Functions.Hosting;
using Aims.Pipeline;
using Aims.Pipeline.Hosting;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;

// The isolated worker: the Functions host starts this process and drives it over gRPC; HTTP requests reach the
// ASP.NET Core pipeline the worker runs (ConfigureFunctionsWebApplication).
try
{
    var builder = FunctionsApplication.CreateBuilder(args);
    builder.ConfigureFunctionsWebApplication();

    // Settings: app settings / environment (Aims__...), over the optional JSON file named by AIMS_CONFIG.
    var configFile = builder.Configuration[AppSettingNames.ConfigFile];
    var (configuration, baseDirectory) = AimsConfiguration.Load(string.IsNullOrWhiteSpace(configFile) ? null : configFile);

    // Everything reads settings through the audit, so a misspelt key under Aims is named at start, not ignored.
    var audit = new SettingsAudit(configuration);
    builder.Services.AddAimsFunctions(audit.Configuration, baseDirectory);

    // Telemetry only when a connection string is set: without one the exporter has nowhere to send and would fail.
    if (!string.IsNullOrWhiteSpace(builder.Configuration[AppSettingNames.ApplicationInsights]))
    {
        builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
    }

    // Last, after every log sink is registered: each of them receives lines with secrets masked.
    builder.Services.RedactLogs();

    var host = builder.Build();
    host.Services.ValidateAimsFunctions();
    var settingsLog = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Aims.Settings");
    foreach (var warning in audit.UnknownSettings())
    {
        settingsLog.LogWarning("{Warning}", warning);
    }

    await host.RunAsync();
    return 0;
}
catch (InvalidSettingException ex)
{
    // The host shows the worker's standard error: name the setting, no stack trace.
    await Console.Error.WriteLineAsync($"aims-functions: {ex.Message}");
    return 2;
}
