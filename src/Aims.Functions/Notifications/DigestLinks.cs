using Aims.Functions.Hosting;

namespace Aims.Functions.Notifications;

/// <summary>Where the messages point readers for the full HTML digest.</summary>
public static class DigestLinks
{
    /// <summary>
    /// <c>Aims:Notifications:DigestUrl</c> when set (e.g. an intranet page that serves the stored digest); otherwise the
    /// dated HTML digest's blob URL when the store is a container (readable by people with Storage Blob Data Reader);
    /// otherwise none (a folder store has no URL others could open).
    /// </summary>
    public static Uri? HtmlLink(FunctionsRuntime runtime, string dated)
    {
        if (runtime.Notifications.DigestUrl is { } configured)
        {
            return configured;
        }

        return Uri.TryCreate(runtime.Store.ReportsLocation.TrimEnd('/'), UriKind.Absolute, out var container) && container.Scheme == Uri.UriSchemeHttps
            ? new Uri($"{container.AbsoluteUri.TrimEnd('/')}/reports/digests/{dated}.html")
            : null;
    }
}
