using System.Collections.Concurrent;
using Aims.Evidence.Store;
using Aims.Functions.Hosting;
using Aims.Pipeline;
using Aims.Pipeline.Hosting;
using Aims.Testing;
using Aims.Testing.Azurite;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aims.Functions.Tests.Infrastructure;

/// <summary>
/// The Functions app composed in-process exactly as Program.cs composes it (AddAimsFunctions), over the Contoso sample
/// configuration, with its evidence in a fresh Azurite container and its queues and runs table on the same Azurite.
/// Function classes are created from its services as the worker creates them. The queues are emptied first: their
/// names are fixed, and the tests of a collection run one at a time.
/// </summary>
public sealed class FunctionsTestApp : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly TempDirectory _folder;

    private FunctionsTestApp(ServiceProvider services, TempDirectory folder, BlobContainerClient container, ConcurrentQueue<string> logs)
    {
        _services = services;
        _folder = folder;
        Container = container;
        Logs = logs;
    }

    public IServiceProvider Services => _services;

    public IEvidenceStore Store => _services.GetRequiredService<IEvidenceStore>();

    public EvidencePipeline Pipeline => _services.GetRequiredService<EvidencePipeline>();

    public StorageClients Storage => _services.GetRequiredService<StorageClients>();

    /// <summary>The evidence container, read directly (e.g. to list reports).</summary>
    public BlobContainerClient Container { get; }

    public string Folder => _folder.Path;

    public ConcurrentQueue<string> Logs { get; }

    public static async Task<FunctionsTestApp> CreateAsync(
        AzuriteFixture azurite,
        IDictionary<string, string?>? settings = null,
        TimeProvider? time = null,
        HttpMessageHandler? http = null,
        Action<IServiceCollection>? services = null)
    {
        var folder = new TempDirectory();
        RepositoryPaths.CopySample(folder.Path);
        var container = AzuriteFixture.UniqueName("evidence");
        var all = new Dictionary<string, string?>
        {
            ["Aims:Store"] = $"{azurite.ConnectionString};Container={container}",
            [AppSettingNames.Storage] = azurite.ConnectionString,
            [AppSettingNames.CollectSchedule] = "0 0 2 * * *",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            all[key] = value;
        }

        var (configuration, baseDirectory) = AimsConfiguration.Load(Path.Combine(folder.Path, "aims.json"), all);
        var logs = new ConcurrentQueue<string>();
        var collection = new ServiceCollection()
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Information).AddProvider(new ListLoggerProvider(logs)))
            .AddSingleton(time ?? TimeProvider.System)
            .AddSingleton(new PipelineOverrides { Credential = new FakeTokenCredential(), HttpHandler = http });
        services?.Invoke(collection);
        var provider = collection.AddAimsFunctions(configuration, baseDirectory).BuildServiceProvider();
        provider.ValidateAimsFunctions();

        var storage = provider.GetRequiredService<StorageClients>();
        foreach (var queue in new[] { QueueNames.CollectJobs, QueueNames.CollectJobsPoison, QueueNames.AnalyzeRuns, QueueNames.BundleBuilds })
        {
            var client = storage.Queue(queue);
            await client.CreateIfNotExistsAsync();
            await client.ClearMessagesAsync();
        }

        return new FunctionsTestApp(provider, folder, new BlobContainerClient(azurite.ConnectionString, container), logs);
    }

    /// <summary>A function class, created from the app's services as the worker creates it.</summary>
    public T Function<T>() => ActivatorUtilities.CreateInstance<T>(_services);

    public QueueClient Queue(string name) => Storage.Queue(name);

    /// <summary>Every message now on <paramref name="queue"/> (received and deleted).</summary>
    public async Task<List<string>> DrainAsync(string queue)
    {
        var texts = new List<string>();
        var client = Queue(queue);
        while (true)
        {
            var batch = (await client.ReceiveMessagesAsync(32)).Value;
            if (batch.Length == 0)
            {
                return texts;
            }

            foreach (var message in batch)
            {
                texts.Add(message.Body.ToString());
                await client.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _services.DisposeAsync();
        _folder.Dispose();
    }

    private sealed class ListLoggerProvider(ConcurrentQueue<string> logs) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new ListLogger(logs, categoryName);

        public void Dispose()
        {
        }

        private sealed class ListLogger(ConcurrentQueue<string> logs, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                logs.Enqueue($"{logLevel} {category}: {formatter(state, exception)}");
        }
    }
}
