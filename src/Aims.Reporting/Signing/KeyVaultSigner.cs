using System.Buffers.Text;
using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Aims.Reporting.Signing;

/// <summary>
/// Signs with an Azure Key Vault (or Managed HSM) EC P-256 key through the Key Vault REST API (<c>GET key</c> once for
/// the public half, then <c>sign</c> with ES256 per signature), on an Azure.Core pipeline authenticated with the app's
/// identity. The private key never leaves the vault; the identity needs only keys/get and keys/sign ("Key Vault Crypto
/// User").
/// </summary>
public sealed class KeyVaultSigner : IEvidenceSigner
{
    public const string ApiVersion = "7.4";
    private const string Scope = "https://vault.azure.net/.default";

    private readonly HttpPipeline _pipeline;
    private readonly Uri _keyUri;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PublicSigningKey? _publicKey;

    /// <param name="keyId"><c>https://{vault}.vault.azure.net/keys/{name}[/{version}]</c>; pin a version so every signature uses one key.</param>
    /// <exception cref="FormatException">The key id is not a Key Vault key URL.</exception>
    public KeyVaultSigner(Uri keyId, TokenCredential credential, ClientOptions? options = null)
    {
        var segments = keyId.AbsolutePath.Trim('/').Split('/');
        if (keyId.Scheme != Uri.UriSchemeHttps || segments.Length is < 2 or > 3 || segments[0] != "keys" || !string.IsNullOrEmpty(keyId.Query))
        {
            throw new FormatException($"'{keyId}' is not a Key Vault key id (https://<vault>.vault.azure.net/keys/<name>[/<version>]).");
        }

        _keyUri = new Uri(keyId.GetLeftPart(UriPartial.Path).TrimEnd('/'));
        _pipeline = HttpPipelineBuilder.Build(options ?? new KeyVaultSignerOptions(), new BearerTokenAuthenticationPolicy(credential, Scope));
    }

    public string KeyId => _keyUri.AbsoluteUri;

    public async Task<PublicSigningKey> GetPublicKeyAsync(CancellationToken cancellationToken = default)
    {
        if (_publicKey is { } known)
        {
            return known;
        }

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _publicKey ??= await FetchPublicKeyAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task<byte[]> SignAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        var publicKey = await GetPublicKeyAsync(cancellationToken).ConfigureAwait(false);
        var digest = SHA256.HashData(data.Span);
        using var doc = await SendAsync(RequestMethod.Post, "/sign", JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string>
        {
            ["alg"] = "ES256",
            ["value"] = Base64Url.EncodeToString(digest),
        }), cancellationToken).ConfigureAwait(false);
        var raw = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("value", out var value) && value.ValueKind == JsonValueKind.String
            ? Base64Url.DecodeFromChars(value.GetString())
            : [];
        if (raw.Length != 64)
        {
            throw new FormatException($"Key Vault's sign answer for {KeyId} holds no 64-byte ES256 signature.");
        }

        var der = ToDer(raw);
        // A vault that signed with another key version, or an answer altered on the way, must not yield a checkpoint nobody can verify.
        if (!publicKey.Verify(data.Span, der))
        {
            throw new FormatException($"Key Vault's signature from {KeyId} does not verify with the key's public half.");
        }

        return der;
    }

    /// <summary>Key Vault returns r‖s (IEEE P1363); openssl and X.509 tools read a DER SEQUENCE of two INTEGERs.</summary>
    internal static byte[] ToDer(ReadOnlySpan<byte> p1363)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteIntegerUnsigned(p1363[..32]);
            writer.WriteIntegerUnsigned(p1363[32..]);
        }

        return writer.Encode();
    }

    private async Task<PublicSigningKey> FetchPublicKeyAsync(CancellationToken cancellationToken)
    {
        using var doc = await SendAsync(RequestMethod.Get, "", null, cancellationToken).ConfigureAwait(false);
        try
        {
            var jwk = doc.RootElement.GetProperty("key");
            var kty = jwk.GetProperty("kty").GetString();
            var crv = jwk.GetProperty("crv").GetString();
            if (kty is not ("EC" or "EC-HSM") || crv != "P-256")
            {
                throw new FormatException($"the Key Vault key {KeyId} is {kty} {crv}; evidence signing needs an EC P-256 key.");
            }

            using var ecdsa = ECDsa.Create(new ECParameters
            {
                Curve = ECCurve.NamedCurves.nistP256,
                Q = new ECPoint { X = Base64Url.DecodeFromChars(jwk.GetProperty("x").GetString()), Y = Base64Url.DecodeFromChars(jwk.GetProperty("y").GetString()) },
            });
            return PublicSigningKey.FromEcdsa(ecdsa);
        }
        catch (Exception ex) when (ex is KeyNotFoundException or InvalidOperationException or CryptographicException)
        {
            throw new FormatException($"Key Vault answered GET {KeyId} with a key this signer cannot use: {ex.Message}", ex);
        }
    }

    private async Task<JsonDocument> SendAsync(RequestMethod method, string suffix, byte[]? body, CancellationToken cancellationToken)
    {
        using var message = _pipeline.CreateMessage();
        message.Request.Method = method;
        message.Request.Uri.Reset(new Uri($"{KeyId}{suffix}?api-version={ApiVersion}"));
        if (body is not null)
        {
            message.Request.Headers.Add(HttpHeader.Common.JsonContentType);
            message.Request.Content = RequestContent.Create(body);
        }

        await _pipeline.SendAsync(message, cancellationToken).ConfigureAwait(false);
        if (message.Response.IsError)
        {
            throw new RequestFailedException(message.Response);
        }

        try
        {
            return await JsonDocument.ParseAsync(message.Response.ContentStream!, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            throw new FormatException($"Key Vault answered {method} {KeyId}{suffix} with something that is not JSON: {ex.Message}", ex);
        }
    }
}

/// <summary>Client options for <see cref="KeyVaultSigner"/> (retries with back-off, as every Azure client has).</summary>
public sealed class KeyVaultSignerOptions : ClientOptions;
