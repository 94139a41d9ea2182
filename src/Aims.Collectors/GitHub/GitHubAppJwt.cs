using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Aims.Collectors.GitHub;

/// <summary>
/// The JWT a GitHub App signs (RS256) to ask for an installation token: issued 60 s in the past to allow for clock
/// drift, expiring 9 minutes later (GitHub accepts at most 10).
/// </summary>
public static class GitHubAppJwt
{
    public static readonly TimeSpan Backdate = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(9);

    public static string Create(string appId, string privateKeyPem, DateTimeOffset now)
    {
        using var rsa = RSA.Create();
        rsa.ImportFromPem(privateKeyPem);
        var issued = now - Backdate;
        var header = Base64Url("""{"alg":"RS256","typ":"JWT"}"""u8);
        using var payloadBuffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(payloadBuffer))
        {
            w.WriteStartObject();
            w.WriteNumber("iat", issued.ToUnixTimeSeconds());
            w.WriteNumber("exp", (issued + Lifetime).ToUnixTimeSeconds());

            // A numeric App ID goes out as a number, a client ID ("Iv1.…") as a string; GitHub accepts both.
            if (long.TryParse(appId, NumberStyles.None, CultureInfo.InvariantCulture, out var numeric))
            {
                w.WriteNumber("iss", numeric);
            }
            else
            {
                w.WriteString("iss", appId);
            }

            w.WriteEndObject();
        }

        var signingInput = $"{header}.{Base64Url(payloadBuffer.ToArray())}";
        var signature = rsa.SignData(Encoding.ASCII.GetBytes(signingInput), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{signingInput}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
