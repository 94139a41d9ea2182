using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Aims.Evidence;
using Azure.Core;

namespace Aims.Functions.Bundles;

/// <summary>A read-only link to one stored bundle and the moment it stops working.</summary>
public sealed record BundleLink(Uri Url, DateTimeOffset ExpiresOn);

/// <summary>
/// Signs read-only SAS links (permission <c>r</c>, one blob, at most <see cref="Lifetime"/>) to bundles in the blob
/// container. In Azure the account has no key: the link is a user-delegation SAS signed with a key from
/// Get User Delegation Key, requested with the app's managed identity. With a connection string (Azurite, which has no
/// user-delegation keys) it is a service SAS signed with the account key.
/// </summary>
public sealed class BundleLinkSigner
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);
    private const string SasVersion = "2022-11-02";
    private const string StorageScope = "https://storage.azure.com/.default";
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(1);

    private readonly Uri _container;
    private readonly string _account;
    private readonly byte[]? _accountKey;
    private readonly TokenCredential? _credential;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;

    private BundleLinkSigner(Uri container, string account, byte[]? accountKey, TokenCredential? credential, HttpClient http, TimeProvider time)
    {
        _container = container;
        _account = account;
        _accountKey = accountKey;
        _credential = credential;
        _http = http;
        _time = time;
    }

    /// <summary>
    /// A signer for the store named by <paramref name="storeSpec"/> whose container is <paramref name="containerUrl"/>;
    /// throws <see cref="InvalidSettingException"/> when the store is not a blob container (a folder has no links).
    /// </summary>
    public static BundleLinkSigner Create(string storeSpec, string containerUrl, Func<TokenCredential> credential, HttpClient http, TimeProvider time)
    {
        const string setting = "Aims:Bundles:SasLinks";
        if (!Uri.TryCreate(containerUrl, UriKind.Absolute, out var container) || container.Scheme is not ("http" or "https"))
        {
            throw new InvalidSettingException(setting, "links need a blob container store (Aims:Store is a folder); set it to false or store evidence in a container.");
        }

        var parts = ConnectionStringParts(storeSpec);
        if (parts is null)
        {
            // A container URL: user-delegation SAS through the managed identity. The account is the host's first label.
            return new BundleLinkSigner(container, container.Host.Split('.')[0], null, credential(), http, time);
        }

        var devStorage = parts.TryGetValue("UseDevelopmentStorage", out var dev) && dev.Equals("true", StringComparison.OrdinalIgnoreCase);
        var account = parts.GetValueOrDefault("AccountName") ?? (devStorage ? DevelopmentAccount : null);
        var key = parts.GetValueOrDefault("AccountKey") ?? (devStorage ? DevelopmentKey : null);
        if (account is null || key is null)
        {
            throw new InvalidSettingException(setting, "links from a connection string need its AccountName and AccountKey.");
        }

        try
        {
            return new BundleLinkSigner(container, account, Convert.FromBase64String(key), null, http, time);
        }
        catch (FormatException)
        {
            throw new InvalidSettingException("Aims:Store", "the connection string's AccountKey is not base64.");
        }
    }

    /// <summary>A link to <c>reports/{reportName}</c>, or null when no such blob exists.</summary>
    public async Task<BundleLink?> CreateAsync(string reportName, CancellationToken cancellationToken = default)
    {
        var blob = "reports/" + reportName;
        var now = _time.GetUtcNow();
        var start = Truncate(now - ClockSkew);
        var expiry = Truncate(start + Lifetime);
        var resource = $"/blob/{_account}/{Uri.UnescapeDataString(_container.AbsolutePath.TrimEnd('/').Split('/')[^1])}/{blob}";
        var protocol = _container.Scheme == Uri.UriSchemeHttps ? "https" : "https,http";
        var query = new List<(string Name, string Value)>
        {
            ("sv", SasVersion), ("spr", protocol), ("st", Iso(start)), ("se", Iso(expiry)), ("sr", "b"), ("sp", "r"),
        };

        string signature;
        if (_accountKey is not null)
        {
            signature = Sign(_accountKey, string.Join('\n', "r", Iso(start), Iso(expiry), resource, "", "", protocol, SasVersion, "b", "", "", "", "", "", "", ""));
        }
        else
        {
            var key = await GetUserDelegationKeyAsync(start, expiry, cancellationToken).ConfigureAwait(false);
            query.AddRange([("skoid", key.ObjectId), ("sktid", key.TenantId), ("skt", key.Start), ("ske", key.Expiry), ("sks", key.Service), ("skv", key.Version)]);
            signature = Sign(Convert.FromBase64String(key.Value), string.Join('\n',
                "r", Iso(start), Iso(expiry), resource, key.ObjectId, key.TenantId, key.Start, key.Expiry, key.Service, key.Version,
                "", "", "", "", protocol, SasVersion, "b", "", "", "", "", "", "", ""));
        }

        query.Add(("sig", signature));
        var url = new Uri($"{_container.AbsoluteUri.TrimEnd('/')}/{blob}?{string.Join('&', query.Select(q => $"{q.Name}={Uri.EscapeDataString(q.Value)}"))}");

        // The link's own read right answers whether the bundle exists, without a second credential.
        using var head = new HttpRequestMessage(HttpMethod.Head, url);
        using var response = await _http.SendAsync(head, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Checking the bundle link for {blob} answered {(int)response.StatusCode} {response.ReasonPhrase}.", null, response.StatusCode);
        }

        return new BundleLink(url, expiry);
    }

    private async Task<UserDelegationKey> GetUserDelegationKeyAsync(DateTimeOffset start, DateTimeOffset expiry, CancellationToken cancellationToken)
    {
        var token = await _credential!.GetTokenAsync(new TokenRequestContext([StorageScope]), cancellationToken).ConfigureAwait(false);
        var service = new Uri($"{_container.GetLeftPart(UriPartial.Authority)}/?restype=service&comp=userdelegationkey");
        var body = new XDocument(new XElement("KeyInfo", new XElement("Start", Iso(start)), new XElement("Expiry", Iso(expiry))));
        using var request = new HttpRequestMessage(HttpMethod.Post, service)
        {
            Content = new StringContent(body.ToString(SaveOptions.DisableFormatting), Encoding.UTF8, "application/xml"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Token);
        request.Headers.Add("x-ms-version", SasVersion);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"Get User Delegation Key ({service.Host}) answered {(int)response.StatusCode} {response.ReasonPhrase}; the identity needs Storage Blob Data Contributor.", null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var key = (await XDocument.LoadAsync(stream, LoadOptions.None, cancellationToken).ConfigureAwait(false)).Root!;
        string Field(string name) => key.Element(name)?.Value ?? throw new FormatException($"The user delegation key lacks {name}.");
        return new UserDelegationKey(Field("SignedOid"), Field("SignedTid"), Field("SignedStart"), Field("SignedExpiry"), Field("SignedService"), Field("SignedVersion"), Field("Value"));
    }

    private static Dictionary<string, string>? ConnectionStringParts(string spec)
    {
        if (spec.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || spec.StartsWith("https://", StringComparison.OrdinalIgnoreCase) || !spec.Contains('=', StringComparison.Ordinal))
        {
            return null;
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in spec.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0)
            {
                parts[part[..eq].Trim()] = part[(eq + 1)..].Trim();
            }
        }

        return parts;
    }

    private static string Sign(byte[] key, string stringToSign) => Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    private static DateTimeOffset Truncate(DateTimeOffset t) => new(t.UtcTicks - (t.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    private static string Iso(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private const string DevelopmentAccount = "devstoreaccount1";

    /// <summary>Azurite's published development key (documented, not a secret).</summary>
    private const string DevelopmentKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private sealed record UserDelegationKey(string ObjectId, string TenantId, string Start, string Expiry, string Service, string Version, string Value);
}
