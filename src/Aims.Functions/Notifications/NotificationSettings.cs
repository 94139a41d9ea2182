using System.Net;
using Aims.Evidence;

namespace Aims.Functions.Notifications;

/// <summary>Microsoft Graph <c>sendMail</c>: the mailbox the digest is sent from, and its recipients.</summary>
public sealed record EmailSettings(string Sender, IReadOnlyList<string> To, Uri GraphBaseUrl);

/// <summary>The GitHub issue the digest is kept in. A class, so the token never shows in a generated ToString.</summary>
public sealed class GitHubIssueSettings(string owner, string repository, Uri baseUrl, string token)
{
    public string Owner { get; } = owner;

    public string Repository { get; } = repository;

    public Uri BaseUrl { get; } = baseUrl;

    internal string Token { get; } = token;
}

/// <summary>
/// Where the digest goes, each channel optional: <c>Aims:Notifications:Teams:WebhookUrl</c>,
/// <c>Aims:Notifications:Email:{Sender,To,GraphBaseUrl}</c>, <c>Aims:Notifications:GitHubIssue:{Repository,BaseUrl,Token}</c>,
/// and <c>Aims:Notifications:DigestUrl</c>, the link the messages give to the HTML digest.
/// </summary>
public sealed record NotificationSettings(Uri? TeamsWebhook, EmailSettings? Email, GitHubIssueSettings? GitHubIssue, Uri? DigestUrl)
{
    public const string Section = "Aims:Notifications";
    public static readonly Uri DefaultGraphBaseUrl = new("https://graph.microsoft.com/v1.0/");
    public static readonly Uri DefaultGitHubBaseUrl = new("https://api.github.com/");

    public bool Any => TeamsWebhook is not null || Email is not null || GitHubIssue is not null;

    public static NotificationSettings Read(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var teams = OptionalUrl(section, "Teams:WebhookUrl");
        var digestUrl = OptionalUrl(section, "DigestUrl");
        return new NotificationSettings(teams, ReadEmail(section), ReadGitHubIssue(section, configuration), digestUrl);
    }

    private static EmailSettings? ReadEmail(IConfigurationSection section)
    {
        var email = section.GetSection("Email");
        var sender = email["Sender"]?.Trim();
        var to = Recipients(email.GetSection("To"));
        if (string.IsNullOrEmpty(sender) && to.Count == 0)
        {
            return null;
        }

        if (string.IsNullOrEmpty(sender) || !LooksLikeAddress(sender))
        {
            throw new InvalidSettingException($"{Section}:Email:Sender", string.IsNullOrEmpty(sender)
                ? "is required when Email:To is set: the mailbox (user principal name or address) the digest is sent from."
                : $"'{sender}' is not a mailbox address.");
        }

        if (to.Count == 0)
        {
            throw new InvalidSettingException($"{Section}:Email:To", "is required when Email:Sender is set: one or more addresses separated by ';' or ','.");
        }

        if (to.FirstOrDefault(a => !LooksLikeAddress(a)) is { } bad)
        {
            throw new InvalidSettingException($"{Section}:Email:To", $"'{bad}' is not an email address.");
        }

        var graph = OptionalUrl(section, "Email:GraphBaseUrl", requireHttps: true) ?? DefaultGraphBaseUrl;
        return new EmailSettings(sender, to, WithSlash(graph));
    }

    private static GitHubIssueSettings? ReadGitHubIssue(IConfigurationSection section, IConfiguration configuration)
    {
        var issue = section.GetSection("GitHubIssue");
        var repository = issue["Repository"]?.Trim();
        if (string.IsNullOrEmpty(repository))
        {
            return null;
        }

        var parts = repository.Split('/');
        if (parts.Length != 2 || parts.Any(p => p.Length == 0 || !p.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new InvalidSettingException($"{Section}:GitHubIssue:Repository", $"'{repository}' is not 'owner/name'.");
        }

        // The issue usually lives where the GitHub collector already has a token; a dedicated one takes precedence.
        var token = issue["Token"]?.Trim();
        if (string.IsNullOrEmpty(token))
        {
            token = configuration["Aims:Sources:GitHub:Token"]?.Trim();
        }

        if (string.IsNullOrEmpty(token))
        {
            throw new InvalidSettingException($"{Section}:GitHubIssue:Token",
                "is required to keep the digest issue up to date (a token with Issues: read and write on the repository; in Azure a Key Vault reference).");
        }

        if (token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new InvalidSettingException($"{Section}:GitHubIssue:Token", "the token contains whitespace or control characters.");
        }

        var baseUrl = OptionalUrl(section, "GitHubIssue:BaseUrl") ?? DefaultGitHubBaseUrl;
        return new GitHubIssueSettings(parts[0], parts[1], WithSlash(baseUrl), token);
    }

    private static List<string> Recipients(IConfigurationSection to)
    {
        var values = to.GetChildren().Select(c => c.Value).Append(to.Value);
        return values.Where(v => !string.IsNullOrWhiteSpace(v))
            .SelectMany(v => v!.Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    private static bool LooksLikeAddress(string address)
    {
        var at = address.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at < address.Length - 1 && !address.Any(char.IsWhiteSpace) && address.IndexOf('@', at + 1) < 0;
    }

    /// <summary>An absolute URL; https unless it points at this machine (local fakes and development).</summary>
    private static Uri? OptionalUrl(IConfigurationSection section, string key, bool requireHttps = false)
    {
        var text = section[key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        var setting = $"{Section}:{key}";
        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            throw new InvalidSettingException(setting, $"'{text}' is not an absolute http(s) URL.");
        }

        if (url.Scheme != Uri.UriSchemeHttps && (requireHttps || !IsLoopback(url)))
        {
            throw new InvalidSettingException(setting, requireHttps
                ? $"must use https: a bearer token is sent to it ({url.GetLeftPart(UriPartial.Authority)})."
                : $"must use https ({url.GetLeftPart(UriPartial.Authority)}); plain http is allowed only for this machine.");
        }

        return url;
    }

    private static bool IsLoopback(Uri url) => url.IsLoopback || (IPAddress.TryParse(url.Host, out var ip) && IPAddress.IsLoopback(ip));

    private static Uri WithSlash(Uri url) => url.AbsoluteUri.EndsWith('/') ? url : new Uri(url.AbsoluteUri + "/");
}
