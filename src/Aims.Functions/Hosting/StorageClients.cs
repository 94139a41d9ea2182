using Aims.Evidence;
using Aims.Pipeline.Hosting;
using Azure.Data.Tables;
using Azure.Storage.Queues;

namespace Aims.Functions.Hosting;

/// <summary>
/// The app's own queue and table clients, on the same storage account as the queue triggers (<c>AzureWebJobsStorage</c>):
/// a connection string, or, in Azure, identity-based (<c>AzureWebJobsStorage__accountName</c>, or explicit
/// <c>__queueServiceUri</c>/<c>__tableServiceUri</c>) with the app's managed identity. Messages are base64, as the
/// queue trigger expects.
/// </summary>
public sealed class StorageClients(QueueServiceClient queues, TableServiceClient tables)
{
    public QueueServiceClient Queues { get; } = queues;

    public TableServiceClient Tables { get; } = tables;

    public QueueClient Queue(string name) => Queues.GetQueueClient(name);

    public static StorageClients Create(IConfiguration configuration, AzureCredentials credentials)
    {
        var queueOptions = new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 };
        var connection = configuration[AppSettingNames.Storage];
        if (!string.IsNullOrWhiteSpace(connection))
        {
            try
            {
                return new StorageClients(new QueueServiceClient(connection, queueOptions), new TableServiceClient(connection));
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidSettingException(AppSettingNames.Storage, $"is not a storage connection string: {ex.Message}");
            }
        }

        var section = configuration.GetSection(AppSettingNames.Storage);
        var account = section["accountName"];
        var queueUri = Url(section, "queueServiceUri") ?? (string.IsNullOrWhiteSpace(account) ? null : new Uri($"https://{account.Trim()}.queue.core.windows.net"));
        var tableUri = Url(section, "tableServiceUri") ?? (string.IsNullOrWhiteSpace(account) ? null : new Uri($"https://{account.Trim()}.table.core.windows.net"));
        if (queueUri is null || tableUri is null)
        {
            throw new InvalidSettingException(AppSettingNames.Storage,
                "is not set: give a connection string, or AzureWebJobsStorage__accountName (managed identity; the identity needs Storage Queue Data Contributor and Storage Table Data Contributor).");
        }

        return new StorageClients(new QueueServiceClient(queueUri, credentials.Credential, queueOptions), new TableServiceClient(tableUri, credentials.Credential));
    }

    private static Uri? Url(IConfigurationSection section, string name)
    {
        var text = section[name];
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        return Uri.TryCreate(text.Trim(), UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri
            : throw new InvalidSettingException($"{AppSettingNames.Storage}__{name}", $"'{text}' is not an https URL.");
    }
}
