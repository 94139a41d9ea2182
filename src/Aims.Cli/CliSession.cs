using Aims.Collectors.Sources;
using Aims.Evidence.Store;
using Aims.Pipeline;
using Aims.Reporting.Signing;
using Azure.Identity;
using Microsoft.Extensions.Logging;

namespace Aims.Cli;

/// <summary>
/// Everything one command needs: configuration, the store, the pipeline, the signer, the analysis date. Observations,
/// ledger entries, checkpoints and bundles are stamped by <see cref="Time"/>, the real clock; <see cref="AsOf"/> is only
/// the date analyses and digests are made for.
/// </summary>
internal sealed class CliSession : IDisposable
{
    private readonly ILoggerFactory _loggers;

    private CliSession(EvidencePipeline pipeline, DateTimeOffset asOf, IEvidenceSigner? signer, ILoggerFactory loggers)
    {
        Pipeline = pipeline;
        AsOf = asOf;
        Signer = signer;
        _loggers = loggers;
    }

    public EvidencePipeline Pipeline { get; }

    public IEvidenceStore Store => Pipeline.Store;

    public TimeProvider Time => Pipeline.Time;

    /// <summary>The analysis date: <c>--as-of</c>, or now.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Signs checkpoints and bundles; null when no key is configured.</summary>
    public IEvidenceSigner? Signer { get; }

    /// <summary>
    /// Loads and validates configuration, requirements, the signing key and every configured source before the store is
    /// touched, so bad input fails with nothing written.
    /// </summary>
    public static CliSession Open(CliIO io, string? configFile, string store, string? asOfText, string? signingKey = null)
    {
        var time = io.Time;
        var asOf = CommonOptions.ParseAsOf(asOfText) ?? time.GetUtcNow();
        if (configFile is null && !Environment.GetEnvironmentVariables().Keys.OfType<string>().Any(k => k.StartsWith("Aims__", StringComparison.OrdinalIgnoreCase)))
        {
            // Without configuration there is no inventory, no source and no organization: an analysis would only
            // repeat the shipped requirements as missing, which looks like an answer and is not one.
            throw new CliInputException("no configuration: pass --config <file> (see samples/contoso/aims.json) or set Aims__ environment variables.");
        }

        var (loaded, baseDirectory) = AimsConfiguration.Load(configFile);
        var audit = new SettingsAudit(loaded);
        var configuration = audit.Configuration;
        var settings = AimsSettings.Read(configuration, baseDirectory);
        var signer = EvidenceSigning.Create(configuration, baseDirectory, signingKey, () => new DefaultAzureCredential());
        var loggers = LoggerFactory.Create(b => b
            .SetMinimumLevel(LogLevel.Warning)
            .AddProvider(new StderrLoggerProvider(io.Errors)));
        try
        {
            var evidenceStore = StoreOpener.Open(store, time);
            var context = new SourceContext(time, loggers, baseDirectory).WithStore(evidenceStore);
            var pipeline = new EvidencePipeline(configuration, settings, evidenceStore, SourceRegistry.CreateDefault(), context)
            {
                Checkpoints = signer is null ? null : new LedgerCheckpointWriter(evidenceStore, signer, time, $"aims-cli {ProductInfo.Version}"),
            };
            foreach (var warning in audit.UnknownSettings())
            {
                io.Errors.WriteLine($"warning: {warning}");
            }

            return new CliSession(pipeline, asOf, signer, loggers);
        }
        catch
        {
            loggers.Dispose();
            (signer as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary>Refuses an AI system id the inventory does not know, before any work is done.</summary>
    public string? RequireSystem(string? system) =>
        system is not null && Pipeline.Inventory.Find(system) is null
            ? throw new CliInputException($"--system '{system}' is not in the AI system inventory" +
                (Pipeline.Inventory.Systems.Count == 0 ? " (no inventory is configured)." : $" (known: {string.Join(", ", Pipeline.Inventory.Systems.Select(s => s.Id))})."))
            : system;

    public void Dispose()
    {
        (Signer as IDisposable)?.Dispose();
        _loggers.Dispose();
    }
}
