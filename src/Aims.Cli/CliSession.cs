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
        if (configFile is null && !Environment.GetEnvironmentVariables().Keys.OfType<string>().Any(k => k.StartsWith("Aims__", StringComparison.OrdinalIgnoreCase)))
        {
            // Without configuration there is no inventory, no source and no organization: an analysis would only
            // repeat the shipped requirements as missing, which looks like an answer and is not one.
            throw new CliInputException("no configuration: pass --config <file> (see samples/contoso/aims.json) or set Aims__ environment variables.");
        }

        TimeProvider time = asOf is { } fixedAt ? new FixedTimeProvider(fixedAt) : TimeProvider.System;
        var (loaded, baseDirectory) = AimsConfiguration.Load(configFile);
        var audit = new SettingsAudit(loaded);
        var configuration = audit.Configuration;
        var settings = AimsSettings.Read(configuration, baseDirectory);
        var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddProvider(new StderrLoggerProvider(errors)));
        try
        {
            var evidenceStore = StoreOpener.Open(store, time);
            var context = new SourceContext(time, loggers, baseDirectory).WithStore(evidenceStore);
            var pipeline = new EvidencePipeline(configuration, settings, evidenceStore, SourceRegistry.CreateDefault(), context);
            foreach (var warning in audit.UnknownSettings())
            {
                errors.WriteLine($"warning: {warning}");
            }

            return new CliSession(pipeline, time.GetUtcNow(), loggers);
        }
        catch
        {
            loggers.Dispose();
            throw;
        }
    }

    /// <summary>Refuses an AI system id the inventory does not know, before any work is done.</summary>
    public string? RequireSystem(string? system) =>
        system is not null && Pipeline.Inventory.Find(system) is null
            ? throw new CliInputException($"--system '{system}' is not in the AI system inventory" +
                (Pipeline.Inventory.Systems.Count == 0 ? " (no inventory is configured)." : $" (known: {string.Join(", ", Pipeline.Inventory.Systems.Select(s => s.Id))})."))
            : system;

    public void Dispose() => _loggers.Dispose();
}
