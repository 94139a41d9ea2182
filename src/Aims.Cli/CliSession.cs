using Aims.Evidence.Store;
using Aims.Pipeline;
using Aims.Pipeline.Hosting;
using Aims.Reporting.Signing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Aims.Cli;

/// <summary>
/// Everything one command needs: the shared composition (store, pipeline, signer, digest archive, bundle builder) and
/// the analysis date. Observations, ledger entries, checkpoints and bundles are stamped by <see cref="Time"/>, the real
/// clock; <see cref="AsOf"/> is only the date analyses and digests are made for.
/// </summary>
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

    public TimeProvider Time => Pipeline.Time;

    public DigestArchive Digests { get; }

    public BundleBuilder Bundles { get; }

    /// <summary>The analysis date: <c>--as-of</c>, or now.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>Signs checkpoints and bundles; null when no key is configured.</summary>
    public IEvidenceSigner? Signer => Pipeline.Checkpoints?.Signer;

    /// <summary>
    /// Loads and validates configuration, requirements, the signing key and every configured source before the store is
    /// touched, so bad input fails with nothing written. <paramref name="store"/> (the <c>--store</c> value) becomes
    /// <c>Aims:Store</c>; a folder or key file given on the command line is relative to the current directory.
    /// </summary>
    public static CliSession Open(CliIO io, string? configFile, string store, string? asOfText, string? signingKey = null)
    {
        var time = io.Time;
        var asOf = CommonOptions.ParseAsOf(asOfText) ?? time.GetUtcNow();
        if (string.IsNullOrWhiteSpace(store))
        {
            throw new CliInputException("--store must not be empty.");
        }

        if (configFile is null && !Environment.GetEnvironmentVariables().Keys.OfType<string>().Any(k => k.StartsWith("Aims__", StringComparison.OrdinalIgnoreCase)))
        {
            // Without configuration there is no inventory, no source and no organization: an analysis would only
            // repeat the shipped requirements as missing, which looks like an answer and is not one.
            throw new CliInputException("no configuration: pass --config <file> (see samples/contoso/aims.json) or set Aims__ environment variables.");
        }

        var spec = AimsStore.IsFolder(store) ? Path.GetFullPath(store.Trim()) : store;
        var (loaded, baseDirectory) = AimsConfiguration.Load(configFile, new Dictionary<string, string?> { [AimsStore.Setting] = spec });
        var audit = new SettingsAudit(loaded, SettingsAudit.FunctionsAppSections);
        var services = new ServiceCollection()
            .AddSingleton(time)
            .AddSingleton(new PipelineOverrides { Host = "aims-cli", SigningKeyFile = signingKey is null ? null : Path.GetFullPath(signingKey) })
            .AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddProvider(new StderrLoggerProvider(io.Errors)))
            .AddAimsPipeline(audit.Configuration, baseDirectory, "--store")
            .BuildServiceProvider();
        try
        {
            services.ValidateAims();
            foreach (var warning in audit.UnknownSettings())
            {
                io.Errors.WriteLine($"warning: {warning}");
            }

            return new CliSession(services, asOf);
        }
        catch
        {
            services.Dispose();
            throw;
        }
    }

    /// <summary>Refuses an AI system id the inventory does not know, before any work is done.</summary>
    public string? RequireSystem(string? system) =>
        system is not null && Pipeline.Inventory.Find(system) is null
            ? throw new CliInputException($"--system '{system}' is not in the AI system inventory" +
                (Pipeline.Inventory.Systems.Count == 0 ? " (no inventory is configured)." : $" (known: {string.Join(", ", Pipeline.Inventory.Systems.Select(s => s.Id))})."))
            : system;

    public void Dispose() => _services.Dispose();
}
