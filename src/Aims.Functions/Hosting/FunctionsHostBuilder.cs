using System.Net;
using Aims.Collectors.Sources;
using Aims.Functions.Bundles;
using Aims.Functions.Notifications;
using Aims.Pipeline;

namespace Aims.Functions.Hosting;

/// <summary>Wires the handler: configuration, the loopback listener, and the shared services.</summary>
public static class FunctionsHostBuilder
{
    /// <summary>
    /// Reads configuration (environment variables, app settings <c>Aims__...</c>, and the JSON file named by
    /// <c>AIMS_CONFIG</c> if set), binds Kestrel to <c>http://127.0.0.1:{FUNCTIONS_CUSTOMHANDLER_PORT}</c> and builds the
    /// pipeline, which validates every setting before the first request.
    /// </summary>
    public static WebApplicationBuilder AddAimsFunctions(this WebApplicationBuilder builder, HandlerOverrides? overrides = null)
    {
        overrides ??= new HandlerOverrides();
        var environment = new ConfigurationBuilder().AddEnvironmentVariables();
        if (overrides.Settings is not null)
        {
            environment.AddInMemoryCollection(overrides.Settings);
        }

        var configFile = environment.Build()[AppSettingNames.ConfigFile];
        var (configuration, baseDirectory) = AimsConfiguration.Load(string.IsNullOrWhiteSpace(configFile) ? null : configFile, overrides.Settings);
        var port = HandlerPort.Read(configuration);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);

        var time = overrides.Time ?? TimeProvider.System;
        var functionsSettings = FunctionsSettings.Read(configuration);
        var credentials = new AzureCredentialSource(overrides.Credential, configuration[AppSettingNames.ManagedIdentityClientId]);
        var notifications = NotificationSettings.Read(configuration);
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(credentials);
        builder.Services.AddSingleton(sp =>
        {
            var loggers = sp.GetRequiredService<ILoggerFactory>();
            var settings = AimsSettings.Read(configuration, baseDirectory);
            var store = EvidenceStoreOpener.Open(functionsSettings.Store, baseDirectory, () => credentials.Credential, time, loggers);
            var context = new SourceContext(time, loggers, baseDirectory, overrides.HttpHandler, overrides.Credential).WithStore(store);
            var pipeline = new EvidencePipeline(configuration, settings, store, overrides.Sources ?? SourceRegistry.CreateDefault(), context);
            var http = overrides.HttpHandler is null
                ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(100) }
                : new HttpClient(overrides.HttpHandler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(100) };
            var links = functionsSettings.BundleSasLinks
                ? BundleLinkSigner.Create(functionsSettings.Store, store.ReportsLocation, () => credentials.Credential, http, time)
                : null;
            return new FunctionsRuntime(configuration, functionsSettings, pipeline, notifications, http, credentials, links);
        });
        return builder;
    }

    /// <summary>Builds the app and the shared services, so configuration errors surface before the listener opens.</summary>
    public static WebApplication BuildAimsFunctions(this WebApplicationBuilder builder)
    {
        var app = builder.Build();
        _ = app.Services.GetRequiredService<FunctionsRuntime>();
        return app;
    }
}
