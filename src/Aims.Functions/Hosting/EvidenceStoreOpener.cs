using Aims.Evidence;
using Aims.Evidence.Store;
using Aims.Storage;
using Azure.Core;

namespace Aims.Functions.Hosting;

/// <summary>Turns the <c>Aims:Store</c> setting into a store.</summary>
internal static class EvidenceStoreOpener
{
    public static IEvidenceStore Open(string spec, string baseDirectory, Func<TokenCredential> credential, TimeProvider time)
    {
        if (spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || spec.Contains('=', StringComparison.Ordinal))
        {
            _ = credential;
            throw new InvalidSettingException(AppSettingNames.Key(AppSettingNames.Store), "blob container stores need Aims.Storage.Azure's EvidenceStores, which this build does not include yet.");
        }

        return new FolderEvidenceStore(Path.GetFullPath(Path.Combine(baseDirectory, spec)), time);
    }
}
