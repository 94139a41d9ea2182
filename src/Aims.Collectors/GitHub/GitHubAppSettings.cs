namespace Aims.Collectors.GitHub;

/// <summary>
/// GitHub App authentication: the app signs a short JWT with its private key and exchanges it for an installation
/// token. A class, not a record, so the key never shows up in a generated <c>ToString</c>.
/// </summary>
public sealed class GitHubAppSettings(string appId, long installationId, string privateKeyPem)
{
    /// <summary>The App ID (or client ID): the JWT's <c>iss</c>.</summary>
    public string AppId { get; } = appId;

    public long InstallationId { get; } = installationId;

    /// <summary>The PEM text of the app's RSA private key.</summary>
    internal string PrivateKeyPem { get; } = privateKeyPem;
}
