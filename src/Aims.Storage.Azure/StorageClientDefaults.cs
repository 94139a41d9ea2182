using Azure.Core;

namespace Aims.Storage.Azure;

/// <summary>Retry, timeout and logging defaults shared by the Blob and Queue client options.</summary>
internal static class StorageClientDefaults
{
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
