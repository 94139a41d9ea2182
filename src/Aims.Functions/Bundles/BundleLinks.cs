using Aims.Evidence;
using Aims.Pipeline.Hosting;
using Aims.Storage.Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using Azure.Storage.Sas;

namespace Aims.Functions.Bundles;

/// <summary>A read-only link to one stored bundle, the moment it stops working, and how it is signed.</summary>
public sealed record BundleLink(Uri Url, DateTimeOffset ExpiresOn, string Signing);

/// <summary>
/// Signs read-only links (permission <c>r</c>, one blob, <see cref="Lifetime"/>) to bundles in the store's state container
/// with <see cref="BlobSasBuilder"/>. With a container URL (Azure, managed identity; the account has no key to use)
/// the link is a user-delegation SAS, and the delegation key is fetched once and reused until shortly before it
/// expires. With a connection string (Azurite: it refuses delegation keys under SharedKey) it is a service SAS signed
/// with the account key, and the start log says so. A folder store has no links: the API streams the zip instead.
/// </summary>
public sealed partial class BundleLinks
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    public const string UserDelegation = "user-delegation";
    public const string ServiceSas = "service-sas";

    /// <summary>How long one delegation key serves (the service allows up to seven days).</summary>
    internal static readonly TimeSpan KeyLifetime = TimeSpan.FromHours(6);
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly BlobContainerClient? _container;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _keyLock = new(1, 1);
    private UserDelegationKey? _key;

    internal BundleLinks(BlobContainerClient? container, TimeProvider time)
    {
        _container = container;
        _time = time;
    }

    /// <summary>False for a folder store: there is no URL to sign, and the API streams the zip instead.</summary>
    public bool Available => _container is not null;

    /// <summary>How links are signed: <see cref="UserDelegation"/> or <see cref="ServiceSas"/>.</summary>
    public string Signing => _container?.CanGenerateSasUri == true ? ServiceSas : UserDelegation;

    /// <summary>Delegation keys fetched so far (tests check that one key serves many links).</summary>
    public int KeysFetched { get; private set; }

    /// <summary>Links for the store named by <c>Aims:Store</c> (not <see cref="Available"/> for a folder store).</summary>
    public static BundleLinks Create(string storeSpec, AzureCredentials credentials, TimeProvider time, ILogger logger, BlobClientOptions? options = null)
    {
        var spec = storeSpec.Trim();
        if (spec.Length == 0 || AimsStore.IsFolder(spec))
        {
            return new BundleLinks(null, time);
        }

        BlobContainerClient container;
        if (spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase))
        {
            // Reports (bundles among them) live in the store's state container, beside the evidence container.
            var uri = new Uri(spec);
            var evidenceName = uri.AbsolutePath.Trim('/') is { Length: > 0 } path ? path : "evidence";
            container = new BlobServiceClient(new Uri(uri.GetLeftPart(UriPartial.Authority)), credentials.Credential, options)
                .GetBlobContainerClient(EvidenceStores.StateContainerName(evidenceName));
        }
        else
        {
            var (connection, name) = SplitContainer(spec);
            try
            {
                container = new BlobContainerClient(connection, EvidenceStores.StateContainerName(name), options);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidSettingException(AimsStore.Setting, $"bundle links need a storage connection string with an account key: {ex.Message}");
            }

            LogServiceSas(logger, container.AccountName);
        }

        return new BundleLinks(container, time);
    }

    /// <summary>A link to the report <paramref name="reportName"/> (stored as the blob <c>reports/{name}</c>).</summary>
    public async Task<BundleLink> CreateAsync(string reportName, CancellationToken cancellationToken)
    {
        if (_container is null)
        {
            throw new InvalidOperationException("A folder store has no bundle links; check Available first.");
        }

        var blob = _container.GetBlobClient("reports/" + reportName);
        var now = _time.GetUtcNow();
        var builder = new BlobSasBuilder(BlobSasPermissions.Read, now + Lifetime)
        {
            BlobContainerName = _container.Name,
            BlobName = blob.Name,
            Resource = "b",
            StartsOn = now - ClockSkew,
            Protocol = blob.Uri.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp,
        };
        if (_container.CanGenerateSasUri)
        {
            return new BundleLink(blob.GenerateSasUri(builder), builder.ExpiresOn, ServiceSas);
        }

        var key = await KeyAsync(_container, now, cancellationToken).ConfigureAwait(false);
        var url = new BlobUriBuilder(blob.Uri) { Sas = builder.ToSasQueryParameters(key, _container.AccountName) }.ToUri();
        return new BundleLink(url, builder.ExpiresOn, UserDelegation);
    }

    private async Task<UserDelegationKey> KeyAsync(BlobContainerClient container, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await _keyLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // A link must not outlive the key that signs it: renew once the key has less than a link's lifetime left.
            if (_key is null || _key.SignedExpiresOn - ClockSkew < now + Lifetime)
            {
                var service = container.GetParentBlobServiceClient();
                var options = new BlobGetUserDelegationKeyOptions(now + KeyLifetime) { StartsOn = now - ClockSkew };
                _key = (await service.GetUserDelegationKeyAsync(options, cancellationToken).ConfigureAwait(false)).Value;
                KeysFetched++;
            }

            return _key;
        }
        finally
        {
            _keyLock.Release();
        }
    }

    private static (string Connection, string Container) SplitContainer(string spec)
    {
        var container = "evidence";
        var rest = new List<string>();
        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (part.StartsWith("Container=", StringComparison.OrdinalIgnoreCase))
            {
                container = part["Container=".Length..].Trim();
            }
            else
            {
                rest.Add(part);
            }
        }

        return (string.Join(';', rest), container);
    }

    [LoggerMessage(EventId = 4030, Level = LogLevel.Warning,
        Message = "Bundle links for account {Account} are service SAS signed with the account key: the store is a connection string (Azurite and SharedKey accounts have no user-delegation keys). In Azure use the container URL and a managed identity.")]
    private static partial void LogServiceSas(ILogger logger, string account);
}
