using Aims.Evidence;
using Aims.Functions.Hosting;
using Aims.Pipeline;
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
    builder.Services.AddAimsFunctions(configuration, baseDirectory);

    // Telemetry only when a connection string is set: without one the exporter has nowhere to send and would fail.
    if (!string.IsNullOrWhiteSpace(builder.Configuration[AppSettingNames.ApplicationInsights]))
    {
        builder.Services.AddApplicationInsightsTelemetryWorkerService().ConfigureFunctionsApplicationInsights();
    }

    var host = builder.Build();
    host.Services.ValidateAimsFunctions();
    await host.RunAsync();
    return 0;
}
catch (InvalidSettingException ex)
{
    // The host shows the worker's standard error: name the setting, no stack trace.
    await Console.Error.WriteLineAsync($"aims-functions: {ex.Message}");
    return 2;
}
