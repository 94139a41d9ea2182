using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Documents.Blob;

/// <summary>
/// <c>Aims:Sources:DocumentsBlob</c>: governed documents in a blob container, with the folder source's front-matter and
/// sidecar rules, for deployments that have no local folder (the Functions app). Read with the app's identity
/// (<c>ContainerUrl</c>, optional <c>ClientId</c> of a user-assigned identity) or with a connection string held in an
/// environment variable (<c>ConnectionStringVariable</c> + <c>Container</c>: Azurite, development). <c>Prefix</c>
/// limits it to one folder of the container.
/// </summary>
public sealed class BlobDocumentsSource : IEvidenceSource
{
    public const string SourceName = "DocumentsBlob";

    public string Name => SourceName;

    public string Family => "documents";

    public SourceState Describe(IConfigurationSection section) => SourceStates.Describe(
        this,
        section.GetChildren().Any(),
        $"set {section.Path}:ContainerUrl (read with the app's identity) or {section.Path}:ConnectionStringVariable and :Container",
        () =>
        {
            var settings = BlobDocumentsSettings.Read(section);
            return $"container {settings.Display}" + (settings.Prefix.Length > 0 ? $", prefix {settings.Prefix}" : "");
        });

    public IEvidenceCollector Create(IConfigurationSection section, SourceContext context)
    {
        var settings = BlobDocumentsSettings.Read(section);
        var container = settings.CreateClient(context.Credential, Environment.GetEnvironmentVariable);
        return new DocumentsCollector(new BlobDocumentFiles(container, settings.Prefix), Name, settings.Display, context.Loggers.CreateLogger<DocumentsCollector>());
    }
}

/// <summary>The validated settings of <see cref="BlobDocumentsSource"/>.</summary>
internal sealed record BlobDocumentsSettings(string Path, Uri? ContainerUrl, string? ConnectionStringVariable, string? Container, string? ClientId, string Prefix)
{
    public string Display => ContainerUrl?.GetLeftPart(UriPartial.Path) ?? $"{Container} (connection string from {ConnectionStringVariable})";

    public static BlobDocumentsSettings Read(IConfigurationSection section)
    {
        var url = SourceSettings.Value(section, "ContainerUrl");
        var variable = SourceSettings.Value(section, "ConnectionStringVariable");
        var container = SourceSettings.Value(section, "Container");
        var clientId = SourceSettings.Value(section, "ClientId");
        string prefix;
        try
        {
            prefix = BlobDocumentFiles.NormalizePrefix(SourceSettings.Value(section, "Prefix"));
        }
        catch (ArgumentException ex)
        {
            throw new InvalidSettingException(SourceSettings.Key(section, "Prefix"), ex.Message.Split(" (Parameter", 2)[0]);
        }

        if ((url is null) == (variable is null))
        {
            throw new InvalidSettingException(SourceSettings.Key(section, "ContainerUrl"), $"set either ContainerUrl (read with the app's identity) or ConnectionStringVariable (with Container), not {(url is null ? "neither" : "both")}.");
        }

        if (clientId is not null && !Guid.TryParse(clientId, out _))
        {
            throw new InvalidSettingException(SourceSettings.Key(section, "ClientId"), $"'{clientId}' is not a GUID (the client id of a user-assigned managed identity).");
        }

        if (url is not null)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(uri.Query) || uri.AbsolutePath.Trim('/').Length == 0 || uri.AbsolutePath.Trim('/').Contains('/', StringComparison.Ordinal))
            {
                // The value is echoed without its query: a pasted SAS token must not reach logs or the digest.
                var shown = url.Split('?', 2)[0];
                throw new InvalidSettingException(SourceSettings.Key(section, "ContainerUrl"), $"'{shown}' must be an https container URL without a query (no SAS token), e.g. https://contosoaims.blob.core.windows.net/documents.");
            }

            return new BlobDocumentsSettings(section.Path, uri, null, null, clientId, prefix);
        }

        if (container is null)
        {
            throw new InvalidSettingException(SourceSettings.Key(section, "Container"), "is required with ConnectionStringVariable: the name of the container that holds the documents.");
        }

        return new BlobDocumentsSettings(section.Path, null, variable, container, clientId, prefix);
    }

    /// <summary>The container client: a test's or host's credential override first, else the app's identity, else the connection string.</summary>
    public BlobContainerClient CreateClient(TokenCredential? credential, Func<string, string?> environment)
    {
        if (ContainerUrl is not null)
        {
            return new BlobContainerClient(ContainerUrl, credential ?? new DefaultAzureCredential(new DefaultAzureCredentialOptions { ManagedIdentityClientId = ClientId }));
        }

        var connection = environment(ConnectionStringVariable!);
        if (string.IsNullOrWhiteSpace(connection))
        {
            throw new InvalidSettingException($"{Path}:ConnectionStringVariable", $"the environment variable '{ConnectionStringVariable}' that holds the storage connection string is not set.");
        }

        try
        {
            return new BlobContainerClient(connection, Container);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw new InvalidSettingException($"{Path}:ConnectionStringVariable", $"the environment variable '{ConnectionStringVariable}' does not hold a storage connection string.");
        }
    }
}
