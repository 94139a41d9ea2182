using Aims.Evidence.Store;
using Aims.Storage.Azure;
using Azure.Core;

namespace Aims.Pipeline.Hosting;

/// <summary>
/// The one way both shells open the evidence store named by <c>Aims:Store</c> (the CLI's <c>--store</c>): a blob
/// container URL (Entra ID through the app's credential), a storage connection string (<c>;Container=name</c> picks
/// the container) or a folder. A relative folder resolves against the configuration's folder (the CLI turns a
/// command-line path into a full path first). The store always signs and stamps with the real clock: storage checks
/// request times against its own.
/// </summary>
public static class AimsStore
{
    public const string Setting = "Aims:Store";

    /// <summary>True when <paramref name="spec"/> names a folder rather than a URL or a connection string.</summary>
    public static bool IsFolder(string spec)
    {
        var trimmed = spec.Trim();
        return !(trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || StorageConnectionString.LooksLikeConnectionString(trimmed)
            || (trimmed.Contains("Container=", StringComparison.OrdinalIgnoreCase) && trimmed.Contains(';', StringComparison.Ordinal)));
    }

    /// <param name="time">Stamps ledger entries (the real clock outside tests); storage protocol times are the SDK's own real clock.</param>
    public static IEvidenceStore Open(string spec, string baseDirectory, Func<TokenCredential> credential, TimeProvider time, string setting = Setting)
    {
        var trimmed = spec.Trim();
        if (trimmed.Length > 0 && IsFolder(trimmed))
        {
            trimmed = Path.GetFullPath(Path.Combine(baseDirectory, trimmed));
        }

        TokenCredential? token = trimmed.StartsWith("https://", StringComparison.OrdinalIgnoreCase) ? credential() : null;
        return EvidenceStores.Open(trimmed, token, new AzureBlobEvidenceStoreOptions { TimeProvider = time }, setting);
    }
}
