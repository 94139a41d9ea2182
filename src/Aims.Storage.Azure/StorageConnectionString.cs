using Aims.Evidence;

namespace Aims.Storage.Azure;

/// <summary>
/// A storage connection string: <c>UseDevelopmentStorage=true</c> (Azurite's well-known account on 127.0.0.1),
/// or <c>DefaultEndpointsProtocol=https;AccountName=..;AccountKey=..;EndpointSuffix=..</c> with optional
/// <c>BlobEndpoint</c>/<c>QueueEndpoint</c> overrides. Errors name the missing or bad part and never echo the key.
/// </summary>
public sealed class StorageConnectionString
{
    private static readonly HashSet<string> KnownKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "UseDevelopmentStorage", "DevelopmentStorageProxyUri", "DefaultEndpointsProtocol", "AccountName", "AccountKey",
        "EndpointSuffix", "BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint", "SharedAccessSignature",
    };

    private StorageConnectionString(string value, string accountName, Uri blobEndpoint, Uri queueEndpoint, Uri tableEndpoint, bool isDevelopment)
    {
        Value = value;
        AccountName = accountName;
        BlobEndpoint = blobEndpoint;
        QueueEndpoint = queueEndpoint;
        TableEndpoint = tableEndpoint;
        IsDevelopmentStorage = isDevelopment;
    }

    /// <summary>The connection string as given (holds the key: hand it to the SDK clients, never to a message).</summary>
    internal string Value { get; }

    public string AccountName { get; }

    /// <summary>The Blob service endpoint (account root), e.g. <c>http://127.0.0.1:10000/devstoreaccount1</c>.</summary>
    public Uri BlobEndpoint { get; }

    /// <summary>The Queue service endpoint (account root).</summary>
    public Uri QueueEndpoint { get; }

    /// <summary>The Table service endpoint (account root).</summary>
    public Uri TableEndpoint { get; }

    public bool IsDevelopmentStorage { get; }

    /// <summary>True when <paramref name="value"/> looks like a connection string rather than a path or URL.</summary>
    public static bool LooksLikeConnectionString(string value)
    {
        var first = value.Split(';', 2)[0];
        var eq = first.IndexOf('=');
        return eq > 0 && KnownKeys.Contains(first[..eq].Trim());
    }

    /// <summary>Parses a connection string; <paramref name="setting"/> names where it came from in error messages.</summary>
    public static StorageConnectionString Parse(string connectionString, string setting = "ConnectionString")
    {
        var parts = Split(connectionString, setting);
        if (parts.TryGetValue("UseDevelopmentStorage", out var dev))
        {
            if (!bool.TryParse(dev, out var useDev) || !useDev)
            {
                throw new InvalidSettingException(setting, $"UseDevelopmentStorage must be 'true' (found '{dev}').");
            }

            if (parts.ContainsKey("DevelopmentStorageProxyUri"))
            {
                throw new InvalidSettingException(setting, "DevelopmentStorageProxyUri is not supported; give BlobEndpoint and QueueEndpoint with AccountName and AccountKey instead.");
            }

            var others = parts.Keys.Where(k => !k.Equals("UseDevelopmentStorage", StringComparison.OrdinalIgnoreCase)).ToList();
            if (others.Count > 0)
            {
                throw new InvalidSettingException(setting, $"UseDevelopmentStorage=true cannot be combined with {string.Join(", ", others)}.");
            }

            return new StorageConnectionString(
                connectionString,
                StorageConstants.DevelopmentAccountName,
                StorageConstants.DevelopmentBlobEndpoint,
                StorageConstants.DevelopmentQueueEndpoint,
                StorageConstants.DevelopmentTableEndpoint,
                isDevelopment: true);
        }

        if (parts.ContainsKey("SharedAccessSignature"))
        {
            throw new InvalidSettingException(setting, "SharedAccessSignature connection strings are not supported; use AccountName and AccountKey, or a container URL with a token credential.");
        }

        var account = Required(parts, "AccountName", setting);
        var key = Required(parts, "AccountKey", setting);
        if (!Convert.TryFromBase64String(key, new byte[key.Length], out _))
        {
            throw new InvalidSettingException(setting, $"AccountKey for account '{account}' is not valid base64.");
        }

        var protocol = parts.GetValueOrDefault("DefaultEndpointsProtocol", "https").ToLowerInvariant();
        if (protocol is not ("https" or "http"))
        {
            throw new InvalidSettingException(setting, $"DefaultEndpointsProtocol must be 'https' or 'http' (found '{protocol}').");
        }

        var suffix = parts.GetValueOrDefault("EndpointSuffix", "core.windows.net").Trim('.');
        var blob = Endpoint(parts, "BlobEndpoint", setting) ?? new Uri($"{protocol}://{account}.blob.{suffix}");
        var queue = Endpoint(parts, "QueueEndpoint", setting) ?? new Uri($"{protocol}://{account}.queue.{suffix}");
        var table = Endpoint(parts, "TableEndpoint", setting) ?? new Uri($"{protocol}://{account}.table.{suffix}");
        return new StorageConnectionString(connectionString, account, blob, queue, table, isDevelopment: false);
    }

    /// <summary>The connection string without its key, for messages.</summary>
    public override string ToString() => $"AccountName={AccountName};BlobEndpoint={BlobEndpoint};QueueEndpoint={QueueEndpoint};TableEndpoint={TableEndpoint}";

    private static Dictionary<string, string> Split(string connectionString, string setting)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new InvalidSettingException(setting, "The connection string is empty.");
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var part in connectionString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0)
            {
                // Quote nothing of the part: it may be a key pasted without its name.
                throw new InvalidSettingException(setting, "The connection string has a part that is not Name=Value.");
            }

            var name = part[..eq].Trim();
            if (!KnownKeys.Contains(name))
            {
                throw new InvalidSettingException(setting, $"The connection string has an unknown part '{name}' (known: {string.Join(", ", KnownKeys.Order(StringComparer.Ordinal))}).");
            }

            if (!parts.TryAdd(name, part[(eq + 1)..].Trim()))
            {
                throw new InvalidSettingException(setting, $"The connection string gives {name} twice.");
            }
        }

        return parts;
    }

    private static string Required(Dictionary<string, string> parts, string name, string setting) =>
        parts.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new InvalidSettingException(setting, $"The connection string has no {name} (expected UseDevelopmentStorage=true, or AccountName=..;AccountKey=..).");

    private static Uri? Endpoint(Dictionary<string, string> parts, string name, string setting)
    {
        if (!parts.TryGetValue(name, out var value))
        {
            return null;
        }

        return Uri.TryCreate(value.TrimEnd('/'), UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && string.IsNullOrEmpty(uri.Query)
            ? uri
            : throw new InvalidSettingException(setting, $"{name} '{value}' is not an absolute http(s) URL without a query.");
    }
}
