using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Aims.Evidence.Items;

/// <summary>
/// Removes secrets before anything is written: values of properties whose names say they hold a secret,
/// and values that look like credentials wherever they appear (tokens, keys, signed URLs, connection strings).
/// </summary>
public static partial class SecretRedactor
{
    public const string Mask = "[REDACTED]";

    /// <summary>
    /// Names this redactor's rules (a hash of its patterns and mask), so a remembered "nothing to mask here"
    /// (<see cref="Collection.RedactionVerdicts"/>) holds only for the rules that found it.
    /// </summary>
    public static string Fingerprint { get; } = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(
        System.Text.Encoding.UTF8.GetBytes(string.Join('\n', CredentialPattern().ToString(), SecretName().ToString(), Mask))))[..16];

    /// <summary>Returns a redacted deep copy of <paramref name="node"/>; the count says how many values were masked.</summary>
    public static JsonNode? Redact(JsonNode? node, out int redactions)
    {
        var copy = node?.DeepClone();
        redactions = 0;
        Walk(copy, ref redactions);
        return copy;
    }

    public static JsonObject Redact(JsonObject node) => (JsonObject)Redact((JsonNode)node, out _)!;

    /// <summary>Masks credential-shaped substrings in free text.</summary>
    public static string RedactText(string text, out int redactions)
    {
        var count = 0;
        var result = CredentialPattern().Replace(text, m =>
        {
            count++;
            return m.Groups["keep"].Success ? m.Groups["keep"].Value + Mask : Mask;
        });
        redactions = count;
        return result;
    }

    public static string RedactText(string text) => RedactText(text, out _);

    /// <summary>
    /// A URL as it may be shown in a message about it: scheme, host, port and path; its user information, query and
    /// fragment (where credentials hide) are left out and said to be. Text that is not a URL is redacted as text.
    /// </summary>
    public static string ShowUrl(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.IsFile)
        {
            return RedactText(text);
        }

        var hidden = uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0;
        return RedactText(uri.GetLeftPart(UriPartial.Path)) + (hidden ? " (credentials, query and fragment not shown)" : "");
    }

    /// <summary>True when a property name says its value is a secret.</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    private static void Walk(JsonNode? node, ref int redactions)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var key in obj.Select(p => p.Key).ToList())
                {
                    var value = obj[key];
                    if (IsSecretName(key) && value is JsonValue v && !IsHarmless(v))
                    {
                        obj[key] = Mask;
                        redactions++;
                    }
                    else if (value is JsonValue sv && sv.TryGetValue<string>(out var s))
                    {
                        var redacted = RedactText(s, out var n);
                        if (n > 0)
                        {
                            obj[key] = redacted;
                            redactions += n;
                        }
                    }
                    else
                    {
                        Walk(value, ref redactions);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue av && av.TryGetValue<string>(out var s))
                    {
                        var redacted = RedactText(s, out var n);
                        if (n > 0)
                        {
                            array[i] = redacted;
                            redactions += n;
                        }
                    }
                    else
                    {
                        Walk(array[i], ref redactions);
                    }
                }

                break;
        }
    }

    // Booleans, numbers and empty strings under a secret-sounding name ("hasSecret": true, "tokenCount": 3) carry no secret.
    private static bool IsHarmless(JsonValue value) =>
        !value.TryGetValue<string>(out var s) || string.IsNullOrEmpty(s) || s == Mask;

    [GeneratedRegex(@"^(?:.*[-_.]?)?(password|passwd|secret|token|apikey|api_key|api-key|accesskey|access_key|accountkey|privatekey|private_key|private-key|authorization|cookie|clientsecret|client_secret|sas|connectionstring|connection_string|credential)s?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    // Each alternative is one kind of credential. "keep" is text around the secret that says what it was and stays.
    [GeneratedRegex(
        @"(?<keep>(?i:bearer|basic|token)\s+)[A-Za-z0-9._~+/=-]{12,}" +
        @"|gh[pousr]_[A-Za-z0-9]{30,}" +
        @"|github_pat_[A-Za-z0-9_]{30,}" +
        @"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}" +
        @"|(?<keep>(?i:AccountKey|SharedAccessKey|Password|pwd)=)[^;&""'\s]+" +
        // A query parameter; in JSON text the '&' before it may be escaped as \u0026.
        @"|(?<keep>(?:[?&]|\\u0026)(?i:sig|password|passwd|pwd|secret|client_secret|api_key|apikey|access_token|token)=)[^&#\s""'<>\\]+" +
        // A password in a URL's user information: https://user:password@host keeps the user, masks the password.
        @"|(?<keep>\b[A-Za-z][A-Za-z0-9+.-]*://[^\s/?#@:""'<>]*:)[^\s/?#@""'<>]+(?=@)" +
        @"|(?:AKIA|ASIA)[0-9A-Z]{16}" +
        // An AWS secret access key has no prefix of its own: it is known by its name or by the key id written next to it.
        @"|(?<keep>(?i:aws_?secret_?access_?key|secret_?access_?key|aws_?secret_?key)[""']?\s*[:=]\s*[""']?)[A-Za-z0-9/+=]{40}(?![A-Za-z0-9/+=])" +
        @"|(?<=(?:AKIA|ASIA)[0-9A-Z]{16}[""']?[\s,;:|=/""']{1,8})[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])" +
        // key: value assignments (YAML, .env, INI) whose name says the value is a secret.
        @"|(?<keep>(?i:\b[\w.-]*(?:password|passwd|pwd|client_secret|clientsecret|secret_key|api_key|apikey|access_token|auth_token|private_token)[""']?\s*[:=]\s*[""']?))(?![\[""'\s]|\[REDACTED\])[^\s""',;]{4,}" +
        @"|xox[abpr]-[A-Za-z0-9-]{10,}" +
        // A private key whose END line is missing (or lies beyond the text in hand) is masked to the end.
        @"|-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|\z)",
        RegexOptions.CultureInvariant)]
    private static partial Regex CredentialPattern();
}
