using Aims.Evidence;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;

namespace Aims.Storage.Azure;

/// <summary>
/// Opens the evidence store a <c>--store</c> value names:
/// <list type="bullet">
/// <item>a folder path → <see cref="FolderEvidenceStore"/>;</item>
/// <item><c>UseDevelopmentStorage=true</c> or a storage connection string → <see cref="AzureBlobEvidenceStore"/> with
/// SharedKey; the container comes from a <c>;Container=name</c> part, else <see cref="AzureBlobEvidenceStore.DefaultContainerName"/>;</item>
/// <item>an <c>https://</c> container URL (or account URL, then the default container) → <see cref="AzureBlobEvidenceStore"/>
/// with Entra ID tokens from the credential passed in (the caller picks e.g. <c>DefaultAzureCredential</c>).</item>
/// </list>
/// </summary>
public static class EvidenceStores
{
    private const string ContainerPart = "Container";

    /// <summary>True when <paramref name="spec"/> names an Azure store (a URL or a connection string), not a folder.</summary>
    public static bool IsAzureSpec(string spec)
    {
        spec = spec.Trim();
        return spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase)
            || StorageConnectionString.LooksLikeConnectionString(spec) || (spec.Contains($"{ContainerPart}=", StringComparison.OrdinalIgnoreCase) && spec.Contains(';'));
    }

    public static EvidenceStoreBase Open(string spec, TokenCredential? credential = null, AzureBlobEvidenceStoreOptions? options = null, string setting = "--store")
    {
        if (string.IsNullOrWhiteSpace(spec))
        {
            throw new InvalidSettingException(setting, "No store given: pass a folder path, UseDevelopmentStorage=true, a storage connection string or a blob container URL.");
        }

        options ??= new AzureBlobEvidenceStoreOptions();
        var clientOptions = options.ClientOptions ?? StorageClientDefaults.BlobOptions();
        spec = spec.Trim();

        if (spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            return OpenUrl(spec, credential, options, clientOptions, setting);
        }

        if (StorageConnectionString.LooksLikeConnectionString(spec) || (spec.Contains($"{ContainerPart}=", StringComparison.OrdinalIgnoreCase) && spec.Contains(';')))
        {
            var (connectionString, container) = SplitContainer(spec, setting);
            var connection = StorageConnectionString.Parse(connectionString, setting);
            return OpenAzure(connection.Value, container, options);
        }

        return new FolderEvidenceStore(spec, options.TimeProvider);
    }

    /// <summary>
    /// The store in an account reached by a connection string: evidence in <paramref name="container"/>, state in
    /// <see cref="StateContainerName"/>, the index in the table <see cref="IndexTableName"/>.
    /// </summary>
    public static AzureBlobEvidenceStore OpenAzure(string connectionString, string container, AzureBlobEvidenceStoreOptions? options = null)
    {
        options ??= new AzureBlobEvidenceStoreOptions();
        var blobOptions = options.ClientOptions ?? StorageClientDefaults.BlobOptions();
        var tables = new TableServiceClient(connectionString, StorageClientDefaults.TableOptions());
        return new AzureBlobEvidenceStore(
            new BlobContainerClient(connectionString, container, blobOptions),
            new BlobContainerClient(connectionString, StateContainerName(container), blobOptions),
            tables.GetTableClient(IndexTableName(container)),
            options);
    }

    /// <summary>The state container next to an evidence container: <c>{container}-state</c> (no immutability).</summary>
    public static string StateContainerName(string container) => $"{(container.Length > 57 ? container[..57].TrimEnd('-') : container)}-state";

    /// <summary>The index table of an evidence container: <c>index</c> and the container's letters and digits (table names allow nothing else).</summary>
    public static string IndexTableName(string container)
    {
        var name = "index" + new string(container.Where(char.IsAsciiLetterOrDigit).ToArray());
        return name.Length > 63 ? name[..63] : name;
    }

    private static AzureBlobEvidenceStore OpenUrl(string spec, TokenCredential? credential, AzureBlobEvidenceStoreOptions options, BlobClientOptions clientOptions, string setting)
    {
        if (!Uri.TryCreate(spec, UriKind.Absolute, out var uri))
        {
            throw new InvalidSettingException(setting, $"'{spec}' is not a valid URL.");
        }

        var shown = uri.GetLeftPart(UriPartial.Path);
        if (uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidSettingException(setting, $"{shown} is plain http; a container URL uses token authentication, which needs https. For Azurite use UseDevelopmentStorage=true or a connection string.");
        }

        if (!string.IsNullOrEmpty(uri.Query))
        {
            throw new InvalidSettingException(setting, $"{shown} carries a query (a SAS?); SAS URLs are not supported: give the container URL and sign in (managed identity or developer credentials).");
        }

        if (credential is null)
        {
            throw new InvalidSettingException(setting, $"{shown} is a blob container URL and needs a token credential (managed identity or developer sign-in), but none was configured. Configure one, or pass a connection string.");
        }

        // An account URL (no path) means the default container.
        var container = uri.AbsolutePath.Trim('/').Length == 0 ? new Uri($"{shown.TrimEnd('/')}/{AzureBlobEvidenceStore.DefaultContainerName}") : new Uri(shown);
        var containerName = container.AbsolutePath.Trim('/');
        if (!uri.Host.Contains(".blob.", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSettingException(setting, $"{shown} is not a blob endpoint ({{account}}.blob.{{suffix}}): the store's index lives in the account's Table service, found by replacing '.blob.' with '.table.'.");
        }

        var account = new Uri($"{uri.Scheme}://{uri.Authority}");
        var tables = new TableServiceClient(new Uri($"{uri.Scheme}://{uri.Authority.Replace(".blob.", ".table.", StringComparison.OrdinalIgnoreCase)}"), credential, StorageClientDefaults.TableOptions());
        return new AzureBlobEvidenceStore(
            new BlobContainerClient(container, credential, clientOptions),
            new BlobContainerClient(new Uri(account, StateContainerName(containerName)), credential, clientOptions),
            tables.GetTableClient(IndexTableName(containerName)),
            options);
    }

    private static (string ConnectionString, string Container) SplitContainer(string spec, string setting)
    {
        var container = AzureBlobEvidenceStore.DefaultContainerName;
        var rest = new List<string>();
        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq > 0 && part[..eq].Trim().Equals(ContainerPart, StringComparison.OrdinalIgnoreCase))
            {
                container = part[(eq + 1)..].Trim();
            }
            else
            {
                rest.Add(part);
            }
        }

        if (container.Length is < 3 or > 63 || !container.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            || container.StartsWith('-') || container.EndsWith('-') || container.Contains("--", StringComparison.Ordinal))
        {
            throw new InvalidSettingException(setting, $"Container '{container}' is not a valid container name (3–63 lowercase letters, digits and single hyphens).");
        }

        return (string.Join(';', rest), container);
    }
}
