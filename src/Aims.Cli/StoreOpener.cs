using Aims.Pipeline.Hosting;
using Aims.Storage;
using Aims.Storage.Azure;

namespace Aims.Cli;

/// <summary>
/// Opens the store a read-or-check command names with <c>--store</c>, through the same <see cref="AimsStore"/> every
/// other command uses (a folder on the command line is relative to the current directory; a container URL signs in
/// with the app's identity, created only then).
/// </summary>
internal static class StoreOpener
{
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

        var credentials = new AzureCredentials(null, Environment.GetEnvironmentVariable(AzureCredentials.ManagedIdentityClientIdSetting));
        var store = (EvidenceStoreBase)AimsStore.Open(spec, Directory.GetCurrentDirectory(), () => credentials.Credential, TimeProvider.System, "--store");
        return await store.ExistsAsync(cancellationToken).ConfigureAwait(false)
            ? store
            : throw new CliInputException($"--store: there is no store at {store.Description}.");
    }
}
