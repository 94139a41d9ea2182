using System.Globalization;
using System.Security.Cryptography;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.GitHub;

/// <summary>
/// The settings under <c>Aims:Sources:GitHub</c>, read and validated. Errors throw <see cref="InvalidSettingException"/>
/// with the full setting path. A class, not a record, so the token never shows up in a generated <c>ToString</c>.
/// </summary>
public sealed class GitHubSettings
{
    public static readonly Uri PublicApi = new("https://api.github.com/");

    private GitHubSettings()
    {
    }

    /// <summary>The API root, always ending in '/' (<c>https://api.github.com/</c> or <c>https://host/api/v3/</c>).</summary>
    public Uri BaseUrl { get; private init; } = PublicApi;

    /// <summary>A personal access token or other bearer token (set through the environment, never in files).</summary>
    internal string? Token { get; private init; }

    public GitHubAppSettings? App { get; private init; }

    public string? Organization { get; private init; }

    public string? Topic { get; private init; }

    /// <summary>The explicit repository list, when scoped by list instead of organization and topic.</summary>
    public IReadOnlyList<RepositoryName> Repositories { get; private init; } = [];

    /// <summary>Workflow names or file names (<c>evaluate.yml</c>) whose runs are evaluation evidence (A.6.2.4).</summary>
    public IReadOnlyList<string> EvaluationWorkflows { get; private init; } = [];

    public RepositoryName? GovernanceRepository { get; private init; }

    /// <summary>Files or folders in the governance repository that hold policy documents.</summary>
    public IReadOnlyList<string> PolicyPaths { get; private init; } = [];

    public int ReposPerJob { get; private init; } = 10;

    /// <summary>
    /// The most requests one job has on the wire at once (1 to 16, default 6). GitHub asks integrators to keep
    /// concurrency low to stay clear of its secondary rate limits; 1 makes every job strictly one request at a time.
    /// </summary>
    public int RequestsInFlight { get; private init; } = DefaultRequestsInFlight;

    public const int DefaultRequestsInFlight = 6;

    public TimeSpan MaxRateLimitWait { get; private init; } = TimeSpan.FromMinutes(15);

    public bool UsesApp => App is not null;

    /// <summary>True when the section names something to collect (an organization or repositories).</summary>
    public static bool IsConfigured(IConfigurationSection section) =>
        section.Exists() && (HasValue(section, "Organization") || SourceSettings.List(section, "Repositories").Count > 0 || HasValue(section, "GovernanceRepository"));

    /// <summary>Reads and validates the section.</summary>
    /// <param name="section">The <c>Aims:Sources:GitHub</c> section.</param>
    /// <param name="resolvePath">Resolves <c>PrivateKeyPath</c> against the configuration's folder.</param>
    /// <param name="loadPrivateKey">False to validate everything but the App key itself (for describing the source without reading files).</param>
    public static GitHubSettings Read(IConfigurationSection section, Func<string, string> resolvePath, bool loadPrivateKey = true)
    {
        string Key(string name) => $"{section.Path}:{name}";

        var baseUrl = SourceSettings.BaseUrl(section, "https://api.github.com or https://github.example.com/api/v3", PublicApi)!;
        var token = SourceSettings.Value(section, "Token");
        var app = ReadApp(section, Key, resolvePath, loadPrivateKey);
        if (token is not null && app is not null)
        {
            throw new InvalidSettingException(Key("Token"), "set either a token or the GitHub App settings (AppId, InstallationId, PrivateKey), not both.");
        }

        if (token is null && app is null)
        {
            throw new InvalidSettingException(Key("Token"),
                "GitHub needs credentials: set the token through the environment variable Aims__Sources__GitHub__Token, or AppId, InstallationId and PrivateKey (or PrivateKeyPath) for a GitHub App.");
        }

        if (token is not null && token.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw new InvalidSettingException(Key("Token"), "the token contains whitespace or control characters.");
        }

        var organization = SourceSettings.Value(section, "Organization");
        var topic = SourceSettings.Value(section, "Topic");
        var repositories = SourceSettings.List(section, "Repositories");
        if (organization is not null && repositories.Count > 0)
        {
            throw new InvalidSettingException(Key("Repositories"), "set either Organization (with Topic) or Repositories, not both.");
        }

        var governance = ReadRepository(section, "GovernanceRepository", Key);
        if (organization is null && repositories.Count == 0 && governance is null)
        {
            throw new InvalidSettingException(Key("Organization"), "set Organization and Topic (repositories of the organization with that topic) or Repositories (a list of owner/name).");
        }

        if (organization is not null)
        {
            if (!organization.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                throw new InvalidSettingException(Key("Organization"), $"'{organization}' is not a GitHub organization name.");
            }

            if (topic is null)
            {
                throw new InvalidSettingException(Key("Topic"), "required with Organization: the topic that marks the repositories in scope (e.g. ai-system).");
            }
        }
        else if (topic is not null)
        {
            throw new InvalidSettingException(Key("Topic"), "only meaningful with Organization.");
        }

        var parsed = new List<RepositoryName>();
        for (var i = 0; i < repositories.Count; i++)
        {
            if (!RepositoryName.TryParse(repositories[i], out var name))
            {
                throw new InvalidSettingException($"{Key("Repositories")}:{i}", $"'{repositories[i]}' is not a repository as owner/name.");
            }

            if (!parsed.Any(p => string.Equals(p.FullName, name.FullName, StringComparison.OrdinalIgnoreCase)))
            {
                parsed.Add(name);
            }
        }

        var policyPaths = SourceSettings.List(section, "PolicyPaths");
        if (governance is not null && policyPaths.Count == 0)
        {
            throw new InvalidSettingException(Key("PolicyPaths"), "required with GovernanceRepository: the files or folders holding policy documents.");
        }

        if (governance is null && policyPaths.Count > 0)
        {
            throw new InvalidSettingException(Key("GovernanceRepository"), "required with PolicyPaths: the repository (owner/name) holding the policy documents.");
        }

        foreach (var path in policyPaths)
        {
            if (path.Split('/').Any(s => s is ".." or "."))
            {
                throw new InvalidSettingException(Key("PolicyPaths"), $"'{path}' must be a path inside the repository without '.' or '..' segments.");
            }
        }

        var reposPerJob = SourceSettings.Int(section, "ReposPerJob", 10, 1, 500);
        var requestsInFlight = SourceSettings.Int(section, "RequestsInFlight", DefaultRequestsInFlight, 1, 16);
        var maxWait = SourceSettings.MaxRateLimitWait(section);

        return new GitHubSettings
        {
            BaseUrl = baseUrl,
            Token = token,
            App = app,
            Organization = organization,
            Topic = topic?.ToLowerInvariant(),
            Repositories = parsed,
            EvaluationWorkflows = SourceSettings.List(section, "EvaluationWorkflows"),
            GovernanceRepository = governance,
            PolicyPaths = policyPaths.Select(p => p.Trim('/')).Where(p => p.Length > 0).Distinct(StringComparer.Ordinal).ToArray(),
            ReposPerJob = reposPerJob,
            RequestsInFlight = requestsInFlight,
            MaxRateLimitWait = maxWait,
        };
    }

    /// <summary>A one-line description for the digest: where, what scope, which kind of credential (never the credential).</summary>
    public string Describe()
    {
        var scope = Organization is not null
            ? $"organization {Organization}, topic {Topic}"
            : Repositories.Count > 0 ? $"{Repositories.Count} repositor{(Repositories.Count == 1 ? "y" : "ies")}" : "no repositories";
        var auth = App is not null ? $"GitHub App {App.AppId}, installation {App.InstallationId}" : "token";
        var governance = GovernanceRepository is not null ? $"; policies in {GovernanceRepository}" : "";
        return $"{BaseUrl.Host}{BaseUrl.AbsolutePath.TrimEnd('/')}: {scope}; {auth}{governance}";
    }

    private static GitHubAppSettings? ReadApp(IConfigurationSection section, Func<string, string> key, Func<string, string> resolvePath, bool loadPrivateKey)
    {
        var appId = SourceSettings.Value(section, "AppId");
        var installation = SourceSettings.Value(section, "InstallationId");
        var pem = SourceSettings.Value(section, "PrivateKey");
        var pemPath = SourceSettings.Value(section, "PrivateKeyPath");
        if (appId is null && installation is null && pem is null && pemPath is null)
        {
            return null;
        }

        if (appId is null || !appId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new InvalidSettingException(key("AppId"), appId is null ? "required for GitHub App authentication." : $"'{appId}' is not a GitHub App ID or client ID.");
        }

        if (installation is null || !long.TryParse(installation, NumberStyles.None, CultureInfo.InvariantCulture, out var installationId) || installationId < 1)
        {
            throw new InvalidSettingException(key("InstallationId"), installation is null ? "required for GitHub App authentication." : $"'{installation}' is not an installation id (a positive number).");
        }

        if (pem is not null && pemPath is not null)
        {
            throw new InvalidSettingException(key("PrivateKey"), "set either PrivateKey (PEM text) or PrivateKeyPath, not both.");
        }

        if (pem is null && pemPath is null)
        {
            throw new InvalidSettingException(key("PrivateKey"), "required for GitHub App authentication: the app's private key (PEM), or PrivateKeyPath.");
        }

        if (!loadPrivateKey)
        {
            return new GitHubAppSettings(appId, installationId, "");
        }

        string keySetting;
        if (pemPath is not null)
        {
            keySetting = key("PrivateKeyPath");
            var full = resolvePath(pemPath);
            try
            {
                pem = File.ReadAllText(full);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidSettingException(keySetting, $"cannot read the private key file '{full}': {ex.Message}");
            }
        }
        else
        {
            keySetting = key("PrivateKey");
            pem ??= "";
        }

        // Environment variables often carry the PEM with literal "\n".
        pem = pem.Replace("\\n", "\n", StringComparison.Ordinal);
        try
        {
            using var rsa = RSA.Create();
            rsa.ImportFromPem(pem);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new InvalidSettingException(keySetting, "is not an RSA private key in PEM form (-----BEGIN RSA PRIVATE KEY----- or -----BEGIN PRIVATE KEY-----).");
        }

        return new GitHubAppSettings(appId, installationId, pem);
    }

    private static RepositoryName? ReadRepository(IConfigurationSection section, string name, Func<string, string> key)
    {
        var text = SourceSettings.Value(section, name);
        if (text is null)
        {
            return null;
        }

        return RepositoryName.TryParse(text, out var repo) ? repo : throw new InvalidSettingException(key(name), $"'{text}' is not a repository as owner/name.");
    }

    private static bool HasValue(IConfigurationSection section, string name) => SourceSettings.Value(section, name) is not null;
}
