using Aims.Evidence.Store;
using Aims.Pipeline;
using Aims.Pipeline.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aims.Cli;

/// <summary>Everything one command needs: the shared composition (store, pipeline, digest archive, bundle builder) and the analysis date.</summary>
internal sealed class CliSession : IDisposable
{
    private readonly ServiceProvider _services;

    private CliSession(ServiceProvider services, DateTimeOffset asOf)
    {
        _services = services;
        Pipeline = services.GetRequiredService<EvidencePipeline>();
        Digests = services.GetRequiredService<DigestArchive>();
        Bundles = services.GetRequiredService<BundleBuilder>();
        AsOf = asOf;
    }

    public EvidencePipeline Pipeline { get; }

    public IEvidenceStore Store => Pipeline.Store;

    public DigestArchive Digests { get; }

    public BundleBuilder Bundles { get; }

    public DateTimeOffset AsOf { get; }

    /// <summary>
    /// Loads and validates configuration, requirements and every configured source before the store is touched,
    /// so bad input fails with nothing written. <paramref name="store"/> (the <c>--store</c> value) becomes
    /// <c>Aims:Store</c>; a folder given on the command line is relative to the current directory.
    /// </summary>
    public static CliSession Open(string? configFile, string store, string? asOfText, TextWriter errors)
    {
        var asOf = CommonOptions.ParseAsOf(asOfText);
        TimeProvider time = asOf is { } fixedAt ? new FixedTimeProvider(fixedAt) : TimeProvider.System;
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new CliInputException("--store must not be empty.");
        }

        var spec = AimsStore.IsFolder(store) ? Path.GetFullPath(store.Trim()) : store;
        var (configuration, baseDirectory) = AimsConfiguration.Load(configFile, new Dictionary<string, string?> { [AimsStore.Setting] = spec });
        var services = new ServiceCollection()
            .AddSingleton(time)
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(new StderrLoggerProvider(errors)))
            .AddAimsPipeline(configuration, baseDirectory, "--store")
            .BuildServiceProvider();
        try
        {
            services.ValidateAims();
            return new CliSession(services, time.GetUtcNow());
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    public void Dispose() => _services.Dispose();
}
