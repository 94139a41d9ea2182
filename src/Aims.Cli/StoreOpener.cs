using Aims.Evidence.Store;
using Aims.Storage;

namespace Aims.Cli;

/// <summary>Turns the <c>--store</c> value into a store.</summary>
internal static class StoreOpener
{
    public static IEvidenceStore Open(string spec)
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new CliInputException("--store must not be empty.");
        }

        return new FolderEvidenceStore(spec);
    }
}
