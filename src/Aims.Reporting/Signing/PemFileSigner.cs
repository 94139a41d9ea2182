using System.Security.Cryptography;

namespace Aims.Reporting.Signing;

/// <summary>
/// Signs with an ECDSA P-256 private key read from a PEM file (<c>openssl ecparam -name prime256v1 -genkey -noout
/// -out key.pem</c>, or PKCS#8). The key is read once and held in memory only.
/// </summary>
public sealed class PemFileSigner : IEvidenceSigner, IDisposable
{
    private readonly ECDsa _key;

    private PemFileSigner(ECDsa key)
    {
        _key = key;
        PublicKey = PublicSigningKey.FromEcdsa(key);
        KeyId = "pem:" + PublicKey.Fingerprint[..16];
    }

    public string KeyId { get; }

    public PublicSigningKey PublicKey { get; }

    /// <summary>Loads the key; throws <see cref="FormatException"/> naming <paramref name="setting"/> and the file when it is not usable.</summary>
    public static PemFileSigner Load(string path, string setting)
    {
        string pem;
        try
        {
            pem = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new FormatException($"{setting}: cannot read the signing key '{path}': {ex.Message}", ex);
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportFromPem(pem);
            PublicSigningKey.RequireP256(key, $"{setting}: the signing key '{path}'");
            if (key.ExportParameters(includePrivateParameters: true).D is null)
            {
                throw new FormatException($"{setting}: '{path}' holds a public key; signing needs the private key.");
            }

            return new PemFileSigner(key);
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            key.Dispose();
            throw new FormatException($"{setting}: '{path}' is not an ECDSA P-256 private key in PEM ({ex.Message.TrimEnd('.')}).", ex);
        }
        catch
        {
            key.Dispose();
            throw;
        }
    }

    public Task<PublicSigningKey> GetPublicKeyAsync(CancellationToken cancellationToken = default) => Task.FromResult(PublicKey);

    public Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        Task.FromResult(_key.SignData(data.Span, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public void Dispose() => _key.Dispose();
}
