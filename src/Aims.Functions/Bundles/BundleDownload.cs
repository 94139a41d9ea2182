using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Functions.Bundles;

/// <summary>
/// Who fetched which bundle, when and how: written to the store as <c>reports/downloads/{yyyy}/{MM}/{dd}/...json</c>
/// before the bundle is sent, so auditors' access to evidence is itself on record. The caller is the signed-in
/// principal App Service Authentication forwards (<c>x-ms-client-principal-*</c>) and, for function-key calls, a
/// fingerprint of the key (the first 12 hex characters of its SHA-256; the key itself is never stored or logged).
/// </summary>
public sealed record BundleDownload(
    string BundleId,
    DateTimeOffset At,
    string Delivery,
    string? PrincipalName,
    string? PrincipalId,
    string? IdentityProvider,
    string? KeyFingerprint,
    string? ClientAddress,
    string? UserAgent,
    string RequestId,
    DateTimeOffset? LinkExpiresOn = null)
{
    public const string Stream = "stream";
    public const string SasLink = "sas-link";

    /// <summary>Who the caller is, for the log line.</summary>
    public string Caller =>
        PrincipalName ?? PrincipalId ?? (KeyFingerprint is { } key ? $"function key {key}" : "an anonymous caller");

    public static BundleDownload FromRequest(HttpRequest request, string bundleId, DateTimeOffset at, string delivery, DateTimeOffset? linkExpiresOn = null)
    {
        var headers = request.Headers;
        string? Header(string name) => headers[name].ToString() is { Length: > 0 } v ? Truncate(v, 200) : null;
        var key = Header("x-functions-key") ?? (request.Query["code"].ToString() is { Length: > 0 } code ? code : null);
        var requestId = Header("x-ms-invocation-id") ?? Header("X-Azure-Functions-InvocationId") ?? request.HttpContext.TraceIdentifier;
        return new BundleDownload(
            bundleId,
            at,
            delivery,
            Header("x-ms-client-principal-name"),
            Header("x-ms-client-principal-id"),
            Header("x-ms-client-principal-idp"),
            key is null ? null : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..12],
            Header("x-forwarded-for")?.Split(',')[0].Trim() ?? request.HttpContext.Connection.RemoteIpAddress?.ToString(),
            Header("User-Agent"),
            requestId,
            linkExpiresOn);
    }

    /// <summary>The report name: dated folders, the time to the millisecond, the bundle and a hash of the request id.</summary>
    public string ReportName =>
        $"downloads/{At.UtcDateTime.ToString("yyyy'/'MM'/'dd", CultureInfo.InvariantCulture)}/" +
        $"{At.UtcDateTime.ToString("HHmmssfff", CultureInfo.InvariantCulture)}-{BundleId}-{CanonicalJson.Sha256Hex(RequestId)[..8]}.json";

    public JsonObject ToJson() => new()
    {
        ["type"] = "bundle-download",
        ["bundleId"] = BundleId,
        ["at"] = CanonicalJson.Timestamp(At),
        ["delivery"] = Delivery,
        ["linkExpiresOn"] = LinkExpiresOn is { } e ? CanonicalJson.Timestamp(e) : null,
        ["principal"] = new JsonObject { ["name"] = PrincipalName, ["id"] = PrincipalId, ["identityProvider"] = IdentityProvider },
        ["functionKeyFingerprint"] = KeyFingerprint,
        ["clientAddress"] = ClientAddress,
        ["userAgent"] = UserAgent,
        ["requestId"] = RequestId,
    };

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}
