using System.Security.Cryptography;
using System.Text;

namespace Aims.Reporting.Signing;

/// <summary>
/// An ECDSA P-256 public key as SubjectPublicKeyInfo. Its fingerprint is the lowercase hex SHA-256 of that DER, which
/// is what <c>openssl pkey -pubin -in key.pem -outform DER | sha256sum</c> prints.
/// </summary>
public sealed class PublicSigningKey
{
    private readonly byte[] _spki;

    private PublicSigningKey(byte[] spki)
    {
        _spki = spki;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(spki));
    }

    public string Fingerprint { get; }

    public string Pem => PemEncoding.WriteString("PUBLIC KEY", _spki) + "\n";

    /// <summary>Reads a public key from SubjectPublicKeyInfo DER; throws <see cref="FormatException"/> unless it is ECDSA P-256.</summary>
    public static PublicSigningKey FromSpki(ReadOnlySpan<byte> spki)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportSubjectPublicKeyInfo(spki, out _);
            RequireP256(ecdsa, "the public key");
            return new PublicSigningKey(ecdsa.ExportSubjectPublicKeyInfo());
        }
        catch (CryptographicException ex)
        {
            throw new FormatException($"the public key is not an ECDSA public key ({ex.Message}).", ex);
        }
    }

    /// <summary>Reads a PEM "PUBLIC KEY" block; <paramref name="source"/> names it in errors.</summary>
    public static PublicSigningKey FromPem(string pem, string source)
    {
        try
        {
            using var ecdsa = ECDsa.Create();
            ecdsa.ImportFromPem(pem);
            RequireP256(ecdsa, source);
            return new PublicSigningKey(ecdsa.ExportSubjectPublicKeyInfo());
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            throw new FormatException($"{source} is not an ECDSA P-256 public key in PEM ({ex.Message.TrimEnd('.')}).", ex);
        }
    }

    public static PublicSigningKey FromEcdsa(ECDsa key) => new(key.ExportSubjectPublicKeyInfo());

    /// <summary>True when <paramref name="derSignature"/> is this key's ES256 signature of <paramref name="data"/>.</summary>
    public bool Verify(ReadOnlySpan<byte> data, ReadOnlySpan<byte> derSignature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_spki, out _);
        try
        {
            return ecdsa.VerifyData(data, derSignature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>
    /// True when <paramref name="derSignature"/> is this key's ES256 signature of the data whose SHA-256 is
    /// <paramref name="sha256"/> (ES256 signs the digest, so a file hashed as it streamed is checked without holding it).
    /// </summary>
    public bool VerifySha256(ReadOnlySpan<byte> sha256, ReadOnlySpan<byte> derSignature)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportSubjectPublicKeyInfo(_spki, out _);
        try
        {
            return ecdsa.VerifyHash(sha256, derSignature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public bool Verify(string text, ReadOnlySpan<byte> derSignature) => Verify(Encoding.UTF8.GetBytes(text), derSignature);

    internal static void RequireP256(ECDsa ecdsa, string source)
    {
        var curve = ecdsa.ExportParameters(false).Curve;
        if (curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
        {
            throw new FormatException($"{source} is an ECDSA key on curve {curve.Oid?.FriendlyName ?? curve.Oid?.Value ?? "(unnamed)"}, not P-256 (prime256v1).");
        }
    }
}
