using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Aims.Storage.Azure;

/// <summary>Retry, timeout and logging defaults shared by the Blob, Queue and Table client options.</summary>
public static class StorageClientDefaults
{
    /// <summary>
    /// Blob client options with our defaults. The service version is pinned to 2026-06-06, the newest one Azurite 3.37
    /// speaks (the SDK's default is newer): Azure accepts it too, so one setting works against both.
    /// </summary>
    public static BlobClientOptions BlobOptions()
    {
        var options = new BlobClientOptions(BlobClientOptions.ServiceVersion.V2026_06_06);
        Apply(options);
        return options;
    }

    /// <summary>Queue client options with our defaults; base64 messages, as the Functions queue trigger expects.</summary>
    public static QueueClientOptions QueueOptions()
    {
        var options = new QueueClientOptions(QueueClientOptions.ServiceVersion.V2026_06_06) { MessageEncoding = QueueMessageEncoding.Base64 };
        Apply(options);
        return options;
    }

    public static TableClientOptions TableOptions()
    {
        var options = new TableClientOptions();
        Apply(options);
        return options;
    }

    /// <summary>Headers that may appear in Azure.Core's request/response logs. Everything else is logged as REDACTED.</summary>
    internal static readonly string[] LoggedHeaders =
    [
        "x-ms-version", "x-ms-date", "x-ms-error-code", "x-ms-blob-type", "x-ms-blob-content-type",
        "x-ms-blob-condition-appendpos", "x-ms-blob-append-offset", "x-ms-blob-committed-block-count",
        "x-ms-request-server-encrypted", "x-ms-creation-time", "x-ms-time-next-visible",
        "x-ms-approximate-messages-count", "Content-Range", "Range", "Accept-Ranges",
    ];

    /// <summary>Query parameters that may appear in logs (never a pop receipt: it authorizes deleting a message).</summary>
    internal static readonly string[] LoggedQueryParameters =
    [
        "comp", "restype", "prefix", "marker", "maxresults", "include", "blockid", "numofmessages", "visibilitytimeout", "messagettl",
    ];

    public static void Apply(ClientOptions options)
    {
        // Exponential back-off from 0.5 s; every try gets its own network timeout, so a stalled connection
        // costs one try, not the whole operation.
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = 5;
        options.Retry.Delay = TimeSpan.FromMilliseconds(500);
        options.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        options.Retry.NetworkTimeout = TimeSpan.FromSeconds(30);
        options.Diagnostics.ApplicationId = "aims-evidence";

        // Azure.Core logs only allow-listed headers; Authorization is never on the list.
        foreach (var header in LoggedHeaders)
        {
            options.Diagnostics.LoggedHeaderNames.Add(header);
        }

        foreach (var name in LoggedQueryParameters)
        {
            options.Diagnostics.LoggedQueryParameters.Add(name);
        }

        options.Diagnostics.LoggedHeaderNames.Remove(HttpHeader.Names.Authorization);
    }
}
