using Aims.Collectors.Sources;
using Aims.Evidence;
using Azure.Core;
using Azure.Identity;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Microsoft.Settings;

/// <summary>
/// The credential a Microsoft source signs in with, chosen by configuration. Reading validates every setting
/// without constructing anything, so a bad kind fails at start even when a test passes its own credential.
/// </summary>
internal sealed record CredentialSettings(
    string SettingPrefix,
    CredentialKind Kind,
    string? TenantId,
    string? ClientId,
    string? CertificatePath,
    string ClientSecretVariable,
    Uri? AuthorityHost)
{
    public const string DefaultSecretVariable = "AZURE_CLIENT_SECRET";

    /// <param name="checkFiles">False when only describing the source: relative paths then have no folder to resolve against.</param>
    public static CredentialSettings Read(IConfigurationSection section, SourceContext context, bool checkFiles = true)
    {
        var kindText = SettingReader.Text(section, "Credential");
        var kind = CredentialKind.DefaultAzure;
        if (kindText is not null && (!Enum.TryParse(kindText, ignoreCase: true, out kind) || !Enum.IsDefined(kind) || int.TryParse(kindText, out _)))
        {
            throw new InvalidSettingException(
                SettingReader.PathOf(section, "Credential"),
                $"'{kindText}' is not a credential kind; use one of {string.Join(", ", Enum.GetNames<CredentialKind>())}.");
        }

        var tenantId = SettingReader.Text(section, "TenantId") is { } t ? SettingReader.Guid(SettingReader.PathOf(section, "TenantId"), t) : null;
        var clientId = SettingReader.Text(section, "ClientId") is { } c ? SettingReader.Guid(SettingReader.PathOf(section, "ClientId"), c) : null;
        var certificate = SettingReader.Text(section, "CertificatePath") is { } p ? context.ResolvePath(p) : null;
        var secretVariable = SettingReader.Text(section, "ClientSecretVariable") ?? DefaultSecretVariable;
        var authority = SettingReader.Text(section, "AuthorityHost") is not null ? SettingReader.HttpsUrl(section, "AuthorityHost", "") : null;

        if (kind is CredentialKind.ClientSecret or CredentialKind.ClientCertificate)
        {
            if (tenantId is null)
            {
                throw new InvalidSettingException(SettingReader.PathOf(section, "TenantId"), $"is required when Credential is {kind}.");
            }

            if (clientId is null)
            {
                throw new InvalidSettingException(SettingReader.PathOf(section, "ClientId"), $"is required when Credential is {kind}.");
            }
        }

        if (kind == CredentialKind.ClientCertificate)
        {
            if (certificate is null)
            {
                throw new InvalidSettingException(SettingReader.PathOf(section, "CertificatePath"), "is required when Credential is ClientCertificate.");
            }

            if (checkFiles && !File.Exists(certificate))
            {
                throw new InvalidSettingException(SettingReader.PathOf(section, "CertificatePath"), $"the file '{certificate}' does not exist.");
            }
        }

        return new CredentialSettings(section.Path, kind, tenantId, clientId, certificate, secretVariable, authority);
    }

    /// <summary>
    /// Builds the credential. <paramref name="environment"/> reads environment variables (the client secret lives
    /// there). Credentials that may run the Azure CLI get a per-scope token cache; the others cache through MSAL.
    /// </summary>
    public TokenCredential Create(Func<string, string?> environment, TimeProvider time)
    {
        switch (Kind)
        {
            case CredentialKind.ClientSecret:
                var secret = environment(ClientSecretVariable);
                if (string.IsNullOrEmpty(secret))
                {
                    throw new InvalidSettingException($"{SettingPrefix}:ClientSecretVariable", $"the environment variable '{ClientSecretVariable}' that holds the client secret is not set.");
                }

                return new ClientSecretCredential(TenantId, ClientId, secret, Options(new ClientSecretCredentialOptions()));
            case CredentialKind.ClientCertificate:
                return new ClientCertificateCredential(TenantId, ClientId, CertificatePath, Options(new ClientCertificateCredentialOptions()));
            case CredentialKind.AzureCli:
                return new ScopeTokenCache(new AzureCliCredential(Options(new AzureCliCredentialOptions { TenantId = TenantId })), time);
            case CredentialKind.ManagedIdentity:
                var id = ClientId is null ? ManagedIdentityId.SystemAssigned : ManagedIdentityId.FromUserAssignedClientId(ClientId);
                return new ManagedIdentityCredential(Options(new ManagedIdentityCredentialOptions(id)));
            default:
                return new ScopeTokenCache(
                    new DefaultAzureCredential(Options(new DefaultAzureCredentialOptions
                    {
                        TenantId = TenantId,
                        ManagedIdentityClientId = ClientId,
                    })),
                    time);
        }
    }

    private T Options<T>(T options)
        where T : TokenCredentialOptions
    {
        if (AuthorityHost is not null)
        {
            options.AuthorityHost = AuthorityHost;
        }

        return options;
    }
}
