namespace Aims.Reporting.Signing;

/// <summary>
/// Signs ledger checkpoints and bundle files with ECDSA P-256 over SHA-256 (ES256). The private key stays with the
/// signer (a PEM file on the operator's machine, or a Key Vault key): nothing here ever writes it anywhere.
/// </summary>
public interface IEvidenceSigner
{
    /// <summary>Names the key in checkpoints and manifests (a Key Vault key URL, or <c>pem:</c> and the fingerprint's start).</summary>
    string KeyId { get; }

    /// <summary>The public half, which verifiers pin by its fingerprint (a vault is asked once).</summary>
    Task<PublicSigningKey> GetPublicKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>Signs <paramref name="data"/>; returns the signature DER-encoded (as <c>openssl dgst -verify</c> reads it).</summary>
    Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default);
}
