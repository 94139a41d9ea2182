namespace Aims.Evidence.Inventory;

/// <summary>
/// SharePoint places in an AI system's footprint. A site, library or folder is named by its URL as the browser shows
/// it; documents from the SharePoint source are named the same way (the library's address, then the path inside it),
/// so a place covers every document under it.
/// </summary>
public static class SharePointFootprint
{
    /// <summary>
    /// A URL without scheme, query or trailing '/', percent-decoded: <c>https://contoso.sharepoint.com/sites/AI%20Gov/Shared%20Documents/</c>
    /// becomes <c>contoso.sharepoint.com/sites/AI Gov/Shared Documents</c>.
    /// </summary>
    public static string Normalize(string url)
    {
        var text = url.Trim();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            text = text[(scheme + 3)..];
        }

        text = text.Split('?', '#')[0];
        return Uri.UnescapeDataString(text).TrimEnd('/');
    }

    /// <summary>Whether the normalized <paramref name="place"/> is the document itself or a folder above it (case-insensitive, as SharePoint URLs are).</summary>
    public static bool Covers(string place, string documentId) =>
        documentId.StartsWith(place + "/", StringComparison.OrdinalIgnoreCase) || string.Equals(place, documentId, StringComparison.OrdinalIgnoreCase);
}
