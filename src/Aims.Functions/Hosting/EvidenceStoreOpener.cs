using Aims.Evidence.Store;
using Aims.Storage;
using Aims.Storage.Azure;
using Azure.Core;

namespace Aims.Functions.Hosting;

/// <summary>Turns the <c>Aims:Store</c> setting into a store.</summary>
internal static class EvidenceStoreOpener
{
    /// <summary>
    /// A container URL (managed identity through <paramref name="credential"/>, created only then), a connection string
    /// (<c>UseDevelopmentStorage=true;Container=evidence</c> for Azurite), or a folder relative to the configuration's folder.
    /// </summary>
    public static IEvidenceStore Open(string spec, string baseDirectory, Func<TokenCredential> credential, TimeProvider time, ILoggerFactory loggers)
    {
        var setting = AppSettingNames.Key(AppSettingNames.Store);
        if (spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return EvidenceStores.Open(spec, spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? credential() : null, BlobOptions(loggers), setting);
        }

        if (StorageConnectionString.LooksLikeConnectionString(spec) || spec.Contains("Container=", StringComparison.OrdinalIgnoreCase))
        {
            return EvidenceStores.Open(spec, null, BlobOptions(loggers), setting);
        }

        return new FolderEvidenceStore(Path.GetFullPath(Path.Combine(baseDirectory, spec)), time);
    }

    // The blob store signs requests with x-ms-date, which the service checks against its own clock: always the real one.
    private static AzureBlobEvidenceStoreOptions BlobOptions(ILoggerFactory loggers) => new() { TimeProvider = TimeProvider.System, Loggers = loggers };
}
