using Aims.Evidence;
using Aims.Reporting.Signing;
using Azure.Core;
using Microsoft.Extensions.Configuration;

namespace Aims.Pipeline;

/// <summary>
/// The signing key, from <c>Aims:Signing</c>: <c>KeyFile</c> (an ECDSA P-256 private key in PEM, for the CLI; the
/// <c>--signing-key</c> option overrides it) or <c>KeyVaultKeyId</c> (a Key Vault key URL, used with the app's
/// identity). At most one; none means checkpoints and bundles are not signed.
/// </summary>
public static class EvidenceSigning
{
    public const string KeyFileSetting = "Aims:Signing:KeyFile";
    public const string KeyVaultKeyIdSetting = "Aims:Signing:KeyVaultKeyId";

    /// <summary>
    /// Creates the configured signer, or null. <paramref name="keyFileOverride"/> (the CLI's option) wins over the settings;
    /// <paramref name="credential"/> is asked for only when a Key Vault key is configured. Throws
    /// <see cref="InvalidSettingException"/> naming the setting when it is unusable.
    /// </summary>
    public static IEvidenceSigner? Create(IConfiguration configuration, string baseDirectory, string? keyFileOverride, Func<TokenCredential>? credential, ClientOptions? keyVaultOptions = null)
    {
        var keyFile = keyFileOverride ?? configuration[KeyFileSetting];
        var keyVault = configuration[KeyVaultKeyIdSetting];
        var setting = keyFileOverride is not null ? "--signing-key" : KeyFileSetting;
        if (!string.IsNullOrWhiteSpace(keyFile) && !string.IsNullOrWhiteSpace(keyVault) && keyFileOverride is null)
        {
            throw new InvalidSettingException(KeyFileSetting, $"set either {KeyFileSetting} or {KeyVaultKeyIdSetting}, not both.");
        }

        if (!string.IsNullOrWhiteSpace(keyFile))
        {
            try
            {
                return PemFileSigner.Load(Path.GetFullPath(Path.Combine(keyFileOverride is null ? baseDirectory : Environment.CurrentDirectory, keyFile)), setting);
            }
            catch (FormatException ex)
            {
                throw new InvalidSettingException(setting, ex.Message.StartsWith(setting + ": ", StringComparison.Ordinal) ? ex.Message[(setting.Length + 2)..] : ex.Message);
            }
        }

        if (string.IsNullOrWhiteSpace(keyVault))
        {
            return null;
        }

        if (!Uri.TryCreate(keyVault, UriKind.Absolute, out var keyId))
        {
            throw new InvalidSettingException(KeyVaultKeyIdSetting, $"'{keyVault}' is not a URL (https://<vault>.vault.azure.net/keys/<name>/<version>).");
        }

        if (credential is null)
        {
            throw new InvalidSettingException(KeyVaultKeyIdSetting, "a Key Vault key needs an Azure identity, which this host does not have.");
        }

        try
        {
            return new KeyVaultSigner(keyId, credential(), keyVaultOptions);
        }
        catch (FormatException ex)
        {
            throw new InvalidSettingException(KeyVaultKeyIdSetting, ex.Message);
        }
    }
}
