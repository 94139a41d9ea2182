using Aims.Collectors.Sources;
using Aims.Evidence.Store;
using Aims.Pipeline;
using Microsoft.Extensions.Logging;

namespace Aims.Cli;

/// <summary>Everything one command needs: configuration, the store, the pipeline, the analysis date.</summary>
internal sealed class CliSession : IDisposable
{
    private readonly ILoggerFactory _loggers;

    private CliSession(EvidencePipeline pipeline, DateTimeOffset asOf, ILoggerFactory loggers)
    {
        Pipeline = pipeline;
        AsOf = asOf;
        _loggers = loggers;
    }

    public EvidencePipeline Pipeline { get; }

    public IEvidenceStore Store => Pipeline.Store;

    public DateTimeOffset AsOf { get; }

    /// <summary>
    /// Loads and validates configuration, requirements and every configured source before the store is touched,
    /// so bad input fails with nothing written.
    /// </summary>
    public static CliSession Open(string? configFile, string store, string? asOfText, TextWriter errors)
    {
        var asOf = CommonOptions.ParseAsOf(asOfText);
        TimeProvider time = asOf is { } fixedAt ? new FixedTimeProvider(fixedAt) : TimeProvider.System;
        var (configuration, baseDirectory) = AimsConfiguration.Load(configFile);
        var settings = AimsSettings.Read(configuration, baseDirectory);
        var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddProvider(new StderrLoggerProvider(errors)));
        try
        {
            var evidenceStore = StoreOpener.Open(store, time);
            var context = new SourceContext(time, loggers, baseDirectory).WithStore(evidenceStore);
            var pipeline = new EvidencePipeline(configuration, settings, evidenceStore, SourceRegistry.CreateDefault(), context);
            return new CliSession(pipeline, time.GetUtcNow(), loggers);
        }
        catch
        {
            loggers.Dispose();
            throw;
        }
    }

    public void Dispose() => _loggers.Dispose();
}
