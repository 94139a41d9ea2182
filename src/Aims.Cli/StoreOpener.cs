using Aims.Evidence.Store;
using Aims.Storage;
using Aims.Storage.Azure;
using Azure.Core;
using Azure.Identity;

namespace Aims.Cli;

/// <summary>
/// Turns the <c>--store</c> value into a store: a folder, <c>UseDevelopmentStorage=true</c>, a connection string, or
/// an https container URL signed in with <see cref="DefaultAzureCredential"/> (managed identity in Azure, developer
/// sign-in elsewhere). The credential is only created for a URL, so local runs never probe for one.
/// </summary>
internal static class StoreOpener
{
    public static IEvidenceStore Open(string spec, TimeProvider? time = null)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new CliInputException("--store must not be empty.");
        }

        TokenCredential? credential = spec.TrimStart().StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? new DefaultAzureCredential() : null;
        return EvidenceStores.Open(spec, credential, new AzureBlobEvidenceStoreOptions { TimeProvider = time ?? TimeProvider.System });
    }

    /// <summary>
    /// Opens a store that must already exist (for commands that only read or check it): "no store there" is bad input
    /// naming the path or container (exit 2), never an empty store that verifies as intact.
    /// </summary>
    public static async Task<EvidenceStoreBase> OpenExistingAsync(string spec, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new CliInputException("--store must not be empty.");
        }

        if (!EvidenceStores.IsAzureSpec(spec) && File.Exists(spec))
        {
            throw new CliInputException($"--store '{Path.GetFullPath(spec)}' is a file, not a store folder.");
        }

        var store = (EvidenceStoreBase)Open(spec);
        return await store.ExistsAsync(cancellationToken).ConfigureAwait(false)
            ? store
            : throw new CliInputException($"--store: there is no store at {store.Description}.");
    }
}
