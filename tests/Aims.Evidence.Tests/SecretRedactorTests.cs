using System.Text.Json.Nodes;
using Aims.Evidence.Items;

namespace Aims.Evidence.Tests;

public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("token")]
    [InlineData("client_secret")]
    [InlineData("Authorization")]
    [InlineData("password")]
    [InlineData("apiKey")]
    [InlineData("storageAccountKey")]
    public void Masks_values_of_properties_named_like_secrets(string name)
    {
        var facts = new JsonObject { [name] = "s3cr3t-value", ["title"] = "Policy" };

        var redacted = (JsonObject)SecretRedactor.Redact(facts, out var count)!;

        Assert.Equal(SecretRedactor.Mask, redacted[name]!.GetValue<string>());
        Assert.Equal("Policy", redacted["title"]!.GetValue<string>());
        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData("ghp_0123456789abcdefghijABCDEFGHIJ0123456789")]
    [InlineData("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz0123456789")]
    [InlineData("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVl")]
    [InlineData("AKIAABCDEFGHIJKLMNOP")]
    public void Masks_credential_shaped_values_anywhere_in_text(string secret)
    {
        var text = $"deployed with {secret} yesterday";

        var redacted = SecretRedactor.RedactText(text, out var count);

        Assert.DoesNotContain(secret, redacted);
        Assert.Contains(SecretRedactor.Mask, redacted);
        Assert.Equal(1, count);
    }

    [Fact]
    public void Keeps_the_scheme_of_an_authorization_header_but_not_its_credential()
    {
        var redacted = SecretRedactor.RedactText("Authorization: Bearer abcdefghijklmnopqrstuvwxyz012345");

        Assert.Equal("Authorization: Bearer [REDACTED]", redacted);
    }

    [Fact]
    public void Masks_account_keys_in_connection_strings_and_sas_signatures()
    {
        var text = "DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey=abc123/+==;EndpointSuffix=core.windows.net https://x.blob.core.windows.net/c/b?sv=2025&sig=AbC%2Bdef%3D";

        var redacted = SecretRedactor.RedactText(text);

        Assert.DoesNotContain("abc123", redacted);
        Assert.DoesNotContain("AbC%2Bdef", redacted);
        Assert.Contains("AccountName=contoso", redacted);
    }

    [Fact]
    public void Leaves_counts_and_flags_under_secret_sounding_names_alone()
    {
        var facts = new JsonObject { ["secretScanningAlerts"] = 3, ["hasToken"] = false };

        SecretRedactor.Redact(facts, out var count);

        Assert.Equal(0, count);
    }

    [Fact]
    public void Redacts_inside_nested_arrays_and_objects()
    {
        var facts = JsonNode.Parse("""{"hooks":[{"config":{"secret":"hunter2"}},"Bearer abcdefghijklmnopqrstuvwxyz"]}""");

        var text = SecretRedactor.Redact(facts, out var count)!.ToJsonString();

        Assert.DoesNotContain("hunter2", text);
        Assert.DoesNotContain("abcdefghijklmnopqrstuvwxyz", text);
        Assert.Equal(2, count);
    }

    [Theory]
    [InlineData("clone https://deploy:Sup3rS3cret!@git.contoso.com/repo.git", "Sup3rS3cret!", "https://deploy:[REDACTED]@git.contoso.com")]
    [InlineData("postgres://app:pa55word@db.internal:5432/ml", "pa55word", "postgres://app:[REDACTED]@db.internal")]
    public void Masks_the_password_in_a_url_userinfo_and_keeps_the_user_and_host(string text, string secret, string expected)
    {
        var redacted = SecretRedactor.RedactText(text, out var count);

        Assert.DoesNotContain(secret, redacted);
        Assert.Contains(expected, redacted);
        Assert.Equal(1, count);
    }

    [Theory]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("\"SecretAccessKey\": \"wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\"")]
    [InlineData("keys: AKIAIOSFODNN7EXAMPLE wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    [InlineData("AKIAIOSFODNN7EXAMPLE,wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY")]
    public void Masks_an_aws_secret_access_key_next_to_its_key_id_or_name(string text)
    {
        var redacted = SecretRedactor.RedactText(text);

        Assert.DoesNotContain("wJalrXUtnFEMI", redacted);
        Assert.DoesNotContain("AKIAIOSFODNN7EXAMPLE", redacted);
    }

    [Fact]
    public void Leaves_a_forty_character_hash_that_is_not_next_to_an_aws_key_alone()
    {
        const string text = "commit 0123456789abcdef0123456789abcdef01234567 merged";

        Assert.Equal(text, SecretRedactor.RedactText(text));
    }

    [Theory]
    [InlineData("password: hunter2-prod", "hunter2-prod")]
    [InlineData("DB_PASSWORD=\"correct-horse\"", "correct-horse")]
    [InlineData("client_secret: 8Q~abcDEF.ghi", "8Q~abcDEF.ghi")]
    [InlineData("https://api.contoso.com/v1?user=a&password=letmein1", "letmein1")]
    [InlineData("{\"url\":\"https://x.blob.core.windows.net/c?sv=1\\u0026sig=JsonEscapedSig\"}", "JsonEscapedSig")]
    public void Masks_values_assigned_to_secret_names_in_configuration_text(string text, string secret)
    {
        var redacted = SecretRedactor.RedactText(text);

        Assert.DoesNotContain(secret, redacted);
        Assert.Contains(SecretRedactor.Mask, redacted);
    }

    [Fact]
    public void Masks_a_private_key_whose_end_line_is_missing_to_the_end_of_the_text()
    {
        var redacted = SecretRedactor.RedactText("intro\n-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA7\nmore");

        Assert.Equal("intro\n" + SecretRedactor.Mask, redacted);
    }
}
