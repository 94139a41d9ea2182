using System.Security.Cryptography;
using System.Text;

namespace Aims.Storage.Azure;

/// <summary>
/// A storage account name and key for SharedKey authorization (Azurite, connection strings).
/// The key never leaves this object: it is not printed, logged or returned.
/// </summary>
public sealed class StorageSharedKeyCredential
{
    private readonly byte[] _key;

    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException)
        {
            // Never echo the key: say only what is wrong with it.
            throw new ArgumentException($"The account key for '{accountName}' is not valid base64.", nameof(accountKey));
        }
    }

    public string AccountName { get; }

    /// <summary>Base64 HMAC-SHA256 of the string to sign under the account key.</summary>
    internal string ComputeSignature(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));

    public override string ToString() => $"SharedKey account '{AccountName}'";
}
