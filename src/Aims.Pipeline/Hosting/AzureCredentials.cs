using Azure.Core;
using Azure.Identity;

namespace Aims.Pipeline.Hosting;

/// <summary>
/// The Azure credential, created on first use only (a blob container URL, Graph mail, a user-delegation key), so a
/// run that needs none never probes for one. In Azure it is the app's user-assigned managed identity
/// (<c>AZURE_CLIENT_ID</c>); tests always pass a fake.
/// </summary>
public sealed class AzureCredentials(TokenCredential? credential, string? managedIdentityClientId)
{
    private readonly Lazy<TokenCredential> _credential = new(() => credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions
    {
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(managedIdentityClientId) ? null : managedIdentityClientId,
    }));

    public const string ManagedIdentityClientIdSetting = "AZURE_CLIENT_ID";

    public TokenCredential Credential => _credential.Value;
}
