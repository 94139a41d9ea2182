using Aims.Evidence;
using Aims.Functions.Bundles;
using Aims.Functions.Events;
using Aims.Functions.Jobs;
using Aims.Functions.Notifications;
using Aims.Functions.Runs;
using Aims.Pipeline;
using Aims.Pipeline.Hosting;
using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Aims.Functions.Hosting;

/// <summary>Registers the Functions app: the shared composition from Aims.Pipeline plus the app's own services.</summary>
public static class FunctionsServices
{
    public static IServiceCollection AddAimsFunctions(this IServiceCollection services, IConfiguration configuration, string baseDirectory)
    {
        services.AddAimsPipeline(configuration, baseDirectory);
        services.AddSingleton(_ => FunctionsSettings.Read(configuration));
        services.AddSingleton(_ => NotificationSettings.Read(configuration));
        services.AddSingleton(sp =>
        {
            var handler = sp.GetRequiredService<PipelineOverrides>().HttpHandler;
            return handler is null
                ? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromSeconds(100) }
                : new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(100) };
        });
        services.AddSingleton(sp => new FunctionsRuntime(configuration, sp.GetRequiredService<FunctionsSettings>(), sp.GetRequiredService<EvidencePipeline>(),
            sp.GetRequiredService<NotificationSettings>(), sp.GetRequiredService<HttpClient>(), sp.GetRequiredService<AzureCredentials>()));
        services.AddSingleton(sp => StorageClients.Create(configuration, sp.GetRequiredService<AzureCredentials>()));
        services.AddSingleton(sp =>
        {
            var storage = sp.GetRequiredService<StorageClients>();
            return new RunTracker(storage.Tables.GetTableClient(QueueNames.RunsTable), storage.Queue(QueueNames.AnalyzeRuns),
                sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<RunTracker>>());
        });
        services.AddSingleton<MalformedMessages>();
        services.AddSingleton(sp => BundleLinks.Create(configuration[AimsStore.Setting] ?? "", sp.GetRequiredService<AzureCredentials>(),
            sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<BundleLinks>>()));
        services.TryAddSingleton<IRunEvents>(sp => sp.GetRequiredService<FunctionsSettings>().Events is { } events
            ? new ServiceBusRunEvents(CreateSender(events, sp.GetRequiredService<AzureCredentials>()))
            : new NoRunEvents());
        return services;
    }

    /// <summary>Builds every service a function needs, so a bad setting stops the worker at start, naming the setting.</summary>
    public static void ValidateAimsFunctions(this IServiceProvider services)
    {
        services.ValidateAims();
        _ = services.GetRequiredService<FunctionsRuntime>();
        _ = services.GetRequiredService<StorageClients>();
        _ = services.GetRequiredService<BundleLinks>();
        _ = services.GetRequiredService<IRunEvents>();
    }

    private static ServiceBusSender CreateSender(ServiceBusEventSettings settings, AzureCredentials credentials)
    {
        try
        {
            var client = settings.ConnectionString is { } connection
                ? new ServiceBusClient(connection)
                : new ServiceBusClient(settings.FullyQualifiedNamespace, credentials.Credential);
            return client.CreateSender(settings.Topic);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InvalidSettingException(settings.ConnectionString is null ? AppSettingNames.ServiceBusNamespace : AppSettingNames.ServiceBusConnectionString, ex.Message);
        }
    }
}
