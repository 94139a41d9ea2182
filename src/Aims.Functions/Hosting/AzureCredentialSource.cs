using Azure.Core;
using Azure.Identity;

namespace Aims.Functions.Hosting;

/// <summary>
/// The Azure credential, created only when something needs it (Graph mail, blob storage by managed identity), so a
/// handler that uses neither never probes for one. In Azure it is the app's user-assigned managed identity
/// (<c>AZURE_CLIENT_ID</c>); tests always pass a fake.
/// </summary>
public sealed class AzureCredentialSource(TokenCredential? credential, string? managedIdentityClientId)
{
    private readonly Lazy<TokenCredential> _credential = new(() => credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions
    {
        ManagedIdentityClientId = string.IsNullOrWhiteSpace(managedIdentityClientId) ? null : managedIdentityClientId,
    }));

    public TokenCredential Credential => _credential.Value;
}
