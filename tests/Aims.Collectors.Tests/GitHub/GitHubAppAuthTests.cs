using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Aims.Evidence;

namespace Aims.Collectors.Tests.GitHub;

public sealed class GitHubAppAuthTests
{
    private const string InstallationToken = "installation-token-Qw8Rt5Yu2";

    private static (GitHubHarness Harness, List<JsonObject> Jwts) Configure(GitHubHarness h, RSA key, TimeSpan tokenLifetime)
    {
        h.Settings.Remove("Token");
        h.Settings["AppId"] = "123456";
        h.Settings["InstallationId"] = "987";
        h.Settings["PrivateKey"] = key.ExportRSAPrivateKeyPem();
        var jwts = new List<JsonObject>();
        h.Fake.On("POST", "app/installations/987/access_tokens", request =>
        {
            var payload = VerifiedPayload(request.Header("Authorization"), key);
            if (payload is null)
            {
                return FakeResponse.Error(401, "A JSON web token could not be decoded");
            }

            lock (jwts)
            {
                jwts.Add(payload);
            }

            var expires = h.Clock.GetUtcNow().Add(tokenLifetime).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
            return new FakeResponse(201, Fixtures.Text("installation-token.json", ("token", InstallationToken), ("expiresAt", expires)));
        });
        return (h, jwts);
    }

    // Checks the RS256 signature with the app's public key, as GitHub does, and returns the claims.
    private static JsonObject? VerifiedPayload(string? authorization, RSA key)
    {
        if (authorization is null || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        var parts = authorization["Bearer ".Length..].Split('.');
        if (parts.Length != 3)
        {
            return null;
        }

        var header = JsonNode.Parse(Decode(parts[0]))!;
        var valid = header["alg"]!.GetValue<string>() == "RS256"
            && key.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Decode(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return valid ? JsonNode.Parse(Decode(parts[1]))!.AsObject() : null;
    }

    private static byte[] Decode(string base64Url)
    {
        var s = base64Url.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '='));
    }

    [Fact]
    public async Task Exchanges_a_signed_jwt_for_an_installation_token_and_uses_it()
    {
        await using var h = await GitHubHarness.StartAsync();
        using var key = RSA.Create(2048);
        var (_, jwts) = Configure(h, key, TimeSpan.FromHours(1));
        h.Fake.AddRepository("contoso", "fraud-model");
        var now = h.Clock.GetUtcNow().ToUnixTimeSeconds();

        await h.CollectAsync("contoso/fraud-model");

        var claims = Assert.Single(jwts);
        Assert.Equal(123456, claims["iss"]!.GetValue<long>());
        Assert.Equal(now - 60, claims["iat"]!.GetValue<long>());
        Assert.InRange(claims["exp"]!.GetValue<long>() - claims["iat"]!.GetValue<long>(), 60, 600);
        Assert.True(claims["exp"]!.GetValue<long>() > now);
        var api = h.Fake.Requests.Where(r => r.Method == "GET").ToList();
        Assert.NotEmpty(api);
        Assert.All(api, r => Assert.Equal($"Bearer {InstallationToken}", r.Header("Authorization")));
        Assert.Empty(await h.ErrorsAsync("contoso/fraud-model"));
        Assert.Contains(await h.ItemsAsync(), i => i.Kind == EvidenceKinds.GitHubBranchProtection);
    }

    [Fact]
    public async Task Reuses_the_installation_token_and_refreshes_it_before_it_expires()
    {
        await using var h = await GitHubHarness.StartAsync();
        using var key = RSA.Create(2048);
        var (_, jwts) = Configure(h, key, TimeSpan.FromHours(1));
        h.Fake.AddRepository("contoso", "fraud-model");
        var collector = h.CreateCollector();

        await h.CollectAsync(collector, h.Job("contoso/fraud-model", runId: "run-1"));
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        await h.CollectAsync(collector, h.Job("contoso/fraud-model", runId: "run-2"));
        Assert.Single(jwts);

        h.Clock.Advance(TimeSpan.FromMinutes(27));
        await h.CollectAsync(collector, h.Job("contoso/fraud-model", runId: "run-3"));

        Assert.Equal(2, jwts.Count);
    }

    [Fact]
    public async Task A_rejected_app_records_auth_errors_naming_the_token_endpoint()
    {
        await using var h = await GitHubHarness.StartAsync();
        using var key = RSA.Create(2048);
        using var otherKey = RSA.Create(2048);
        Configure(h, otherKey, TimeSpan.FromHours(1));
        h.Settings["PrivateKey"] = key.ExportPkcs8PrivateKeyPem();
        h.Fake.AddRepository("contoso", "fraud-model");

        await h.CollectAsync("contoso/fraud-model");

        var errors = await h.ErrorsAsync("contoso/fraud-model");
        Assert.NotEmpty(errors);
        Assert.All(errors, e => Assert.Contains("/app/installations/987/access_tokens", e.Facts["error"]!.GetValue<string>()));
        Assert.DoesNotContain(h.Fake.Requests, r => r.Method == "GET");
    }
}
