using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aims.Reporting.Signing;
using Aims.Reporting.Tests.Fixtures;
using Aims.Reporting.Verification;
using Aims.Testing;
using Azure;
using Azure.Core.Pipeline;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Aims.Reporting.Tests.Signing;

/// <summary>
/// The Key Vault signer against a local fake of the Key Vault REST API (GET key, POST sign with ES256) on 127.0.0.1 over
/// https, holding its own EC P-256 key that never leaves it, as the vault's does.
/// </summary>
public sealed class KeyVaultSignerTests : IDisposable
{
    private readonly ECDsa _vaultKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private readonly List<(string Method, string Path, string Authorization, string Body)> _requests = [];

    [Fact]
    public async Task Checkpoints_signed_through_the_vault_verify_with_the_vaults_public_key()
    {
        await using var server = await StartVaultAsync(kty: "EC", status: 200);
        var credential = new FakeTokenCredential("vault-token");
        var signer = new KeyVaultSigner(new Uri(server.BaseUri, "keys/aims-signing/v1"), credential, Options(server));
        using var sample = await SampleEvidence.CreateAsync();

        var written = await new LedgerCheckpointWriter(sample.Store, signer, new FakeTimeProvider(SampleEvidence.AsOf), "functions-test").WriteAsync();

        var checkpoint = Assert.Single(written);
        Assert.True(checkpoint.HasValidSignature(out var key));
        Assert.Equal(PublicSigningKey.FromEcdsa(_vaultKey).Fingerprint, key!.Fingerprint);
        Assert.Equal($"{server.BaseUri}keys/aims-signing/v1", checkpoint.KeyId);
        var sign = Assert.Single(_requests, r => r.Method == "POST");
        Assert.Equal("/keys/aims-signing/v1/sign?api-version=7.4", sign.Path);
        Assert.Equal("Bearer vault-token", sign.Authorization);
        var body = JsonNode.Parse(sign.Body)!;
        Assert.Equal("ES256", body["alg"]!.GetValue<string>());
        Assert.Equal(Base64Url.EncodeToString(SHA256.HashData(checkpoint.SignedBytes())), body["value"]!.GetValue<string>());
        Assert.All(credential.Requests, scopes => Assert.Equal(["https://vault.azure.net/.default"], scopes));
        Assert.Single(_requests, r => r.Method == "GET");

        var verified = await new StoreVerifier(sample.Store, pinnedKey: PublicSigningKey.FromEcdsa(_vaultKey)).VerifyAsync();
        Assert.True(verified.IsIntact, string.Join("\n", verified.Findings));
    }

    [Fact]
    public async Task A_vault_that_refuses_the_identity_fails_with_its_status_and_writes_nothing()
    {
        await using var server = await StartVaultAsync(kty: "EC", status: 403);
        var signer = new KeyVaultSigner(new Uri(server.BaseUri, "keys/aims-signing/v1"), new FakeTokenCredential(), Options(server));
        using var sample = await SampleEvidence.CreateAsync();

        var ex = await Assert.ThrowsAsync<RequestFailedException>(() => new LedgerCheckpointWriter(sample.Store, signer, TimeProvider.System, "t").WriteAsync());

        Assert.Equal(403, ex.Status);
        Assert.Empty(await sample.Store.ListCheckpointNamesAsync().ToListAsync());
    }

    [Fact]
    public async Task A_vault_key_that_is_not_ec_p256_is_refused_by_name()
    {
        await using var server = await StartVaultAsync(kty: "RSA", status: 200);
        var signer = new KeyVaultSigner(new Uri(server.BaseUri, "keys/aims-signing/v1"), new FakeTokenCredential(), Options(server));

        var ex = await Assert.ThrowsAsync<FormatException>(() => signer.GetPublicKeyAsync());

        Assert.Contains("evidence signing needs an EC P-256 key", ex.Message);
    }

    [Theory]
    [InlineData("http://vault.example/keys/k/1")]
    [InlineData("https://vault.example/secrets/k/1")]
    [InlineData("https://vault.example/keys/k/1/2/3")]
    public void A_key_id_that_is_not_a_key_vault_key_url_is_refused(string keyId)
    {
        var ex = Assert.Throws<FormatException>(() => new KeyVaultSigner(new Uri(keyId), new FakeTokenCredential()));
        Assert.Contains("is not a Key Vault key id", ex.Message);
    }

    public void Dispose() => _vaultKey.Dispose();

    private static KeyVaultSignerOptions Options(LocalHttpServer server) => new() { Transport = new HttpClientTransport(server.CreateClientHandler()) };

    private Task<LocalHttpServer> StartVaultAsync(string kty, int status) => LocalHttpServer.StartAsync(async context =>
    {
        var body = await new StreamReader(context.Request.Body).ReadToEndAsync();
        lock (_requests)
        {
            _requests.Add((context.Request.Method, context.Request.Path + context.Request.QueryString, context.Request.Headers.Authorization.ToString(), body));
        }

        if (status != 200)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsJsonAsync(new { error = new { code = "Forbidden", message = "The user, group or application does not have keys sign permission." } });
            return;
        }

        var kid = $"https://{context.Request.Host}/keys/aims-signing/v1";
        if (context.Request.Method == "GET")
        {
            var p = _vaultKey.ExportParameters(false);
            await context.Response.WriteAsJsonAsync(new Dictionary<string, object>
            {
                ["key"] = new Dictionary<string, object>
                {
                    ["kid"] = kid, ["kty"] = kty, ["crv"] = "P-256", ["key_ops"] = new[] { "sign", "verify" },
                    ["x"] = Base64Url.EncodeToString(p.Q.X), ["y"] = Base64Url.EncodeToString(p.Q.Y),
                },
                ["attributes"] = new { enabled = true },
            });
            return;
        }

        using var request = JsonDocument.Parse(body);
        var digest = Base64Url.DecodeFromChars(request.RootElement.GetProperty("value").GetString());
        var signature = _vaultKey.SignHash(digest, DSASignatureFormat.IeeeP1363FixedFieldConcatenation);
        await context.Response.WriteAsJsonAsync(new { kid, value = Base64Url.EncodeToString(signature) });
    }, https: true);
}
