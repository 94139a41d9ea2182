namespace Aims.Collectors.Microsoft.Settings;

/// <summary>How a Microsoft source signs in (the <c>Credential</c> setting).</summary>
public enum CredentialKind
{
    /// <summary><c>DefaultAzureCredential</c>: managed identity in Azure, developer sign-ins elsewhere. The default.</summary>
    DefaultAzure,

    /// <summary>An app registration's client secret, read from an environment variable (never from a file).</summary>
    ClientSecret,

    /// <summary>An app registration's certificate (PEM or PFX file with the private key).</summary>
    ClientCertificate,

    /// <summary>The Azure CLI's signed-in account (<c>az login</c>).</summary>
    AzureCli,

    /// <summary>A system-assigned managed identity, or a user-assigned one when <c>ClientId</c> is set.</summary>
    ManagedIdentity,
}
