using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Store;
using Aims.Reporting.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Aims.Pipeline.Hosting;

/// <summary>
/// The one composition the CLI and the Functions app share: settings, clock, Azure credential, evidence store,
/// sources and collectors, the pipeline (analysis), the digest archive and the bundle builder. A host may register
/// its own <see cref="TimeProvider"/> or <see cref="PipelineOverrides"/> first; everything else is built here.
/// </summary>
public static class AimsServices
{
    /// <summary>
    /// Registers the services for <paramref name="configuration"/>, whose relative paths resolve against
    /// <paramref name="baseDirectory"/>. Nothing is opened until <see cref="ValidateAims"/> (or the first use).
    /// <paramref name="storeOption"/> is what a store error names: the setting, or the CLI's <c>--store</c>.
    /// </summary>
    public static IServiceCollection AddAimsPipeline(this IServiceCollection services, IConfiguration configuration, string baseDirectory, string storeOption = AimsStore.Setting)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new PipelineOverrides());
        services.TryAddSingleton<ILoggerFactory>(NullLoggerFactory.Instance);
        services.TryAddSingleton(sp => new AzureCredentials(sp.GetRequiredService<PipelineOverrides>().Credential, configuration[AzureCredentials.ManagedIdentityClientIdSetting]));
        services.TryAddSingleton(_ => AimsSettings.Read(configuration, baseDirectory));
        services.TryAddSingleton(sp =>
        {
            var spec = configuration[AimsStore.Setting];
            if (string.IsNullOrWhiteSpace(spec))
            {
                throw new InvalidSettingException(storeOption, "is required: a folder, a storage connection string, or the evidence container's URL (managed identity).");
            }

            var credentials = sp.GetRequiredService<AzureCredentials>();
            return AimsStore.Open(spec, baseDirectory, () => credentials.Credential, sp.GetRequiredService<TimeProvider>(), storeOption);
        });
        services.TryAddSingleton(sp =>
        {
            var overrides = sp.GetRequiredService<PipelineOverrides>();
            var store = sp.GetRequiredService<IEvidenceStore>();
            return new SourceContext(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>(), baseDirectory, overrides.HttpHandler, overrides.Credential)
                .WithStore(store);
        });
        services.TryAddSingleton(sp =>
        {
            var overrides = sp.GetRequiredService<PipelineOverrides>();
            var credentials = sp.GetRequiredService<AzureCredentials>();
            return new SignerHolder(EvidenceSigning.Create(configuration, baseDirectory, overrides.SigningKeyFile, () => credentials.Credential));
        });
        services.TryAddSingleton(sp =>
        {
            var overrides = sp.GetRequiredService<PipelineOverrides>();
            var store = sp.GetRequiredService<IEvidenceStore>();
            var signer = sp.GetRequiredService<SignerHolder>().Signer;
            return new EvidencePipeline(configuration, sp.GetRequiredService<AimsSettings>(), store,
                overrides.Sources ?? SourceRegistry.CreateDefault(), sp.GetRequiredService<SourceContext>())
            {
                Checkpoints = signer is null ? null : new LedgerCheckpointWriter(store, signer, sp.GetRequiredService<TimeProvider>(), $"{overrides.Host} {ProductVersion.Current}"),
            };
        });
        services.TryAddSingleton(sp => new DigestArchive(sp.GetRequiredService<IEvidenceStore>(), sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new BundleBuilder(sp.GetRequiredService<EvidencePipeline>(), sp.GetRequiredService<IEvidenceStore>()));
        return services;
    }

    /// <summary>
    /// Builds the pipeline now, so a bad setting (store, requirements, inventory, any configured source) stops the host
    /// at start with an <see cref="InvalidSettingException"/> naming it, before anything is written.
    /// </summary>
    /// <summary>Owns the optional signer so the container disposes it with everything else.</summary>
    private sealed class SignerHolder(IEvidenceSigner? signer) : IDisposable
    {
        public IEvidenceSigner? Signer { get; } = signer;

        public void Dispose() => (Signer as IDisposable)?.Dispose();
    }

    public static EvidencePipeline ValidateAims(this IServiceProvider services) => services.GetRequiredService<EvidencePipeline>();
}
