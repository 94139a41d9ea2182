namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>
/// How SharePoint documents are named as subjects: the library's web address without the scheme, then the path inside
/// the library, decoded (<c>contoso.sharepoint.com/sites/ai-governance/Policies/AI Policy.docx</c>). The inventory's
/// <c>sharePoint</c> footprint matches these names by prefix, so a site, library or folder URL pasted from the browser
/// attributes what is under it.
/// </summary>
internal static class SharePointPaths
{
    public static string FromUrl(string url) => Aims.Evidence.Inventory.SharePointFootprint.Normalize(url);

    /// <summary>
    /// The path inside the drive from a driveItem's <c>parentReference.path</c> (<c>/drives/{id}/root:/Policies/2026</c>)
    /// and its name.
    /// </summary>
    public static string InDrive(string? parentPath, string name)
    {
        var folder = "";
        if (parentPath is not null)
        {
            var marker = parentPath.IndexOf("root:", StringComparison.Ordinal);
            folder = Uri.UnescapeDataString(marker >= 0 ? parentPath[(marker + 5)..] : "").Trim('/');
        }

        return folder.Length == 0 ? name : $"{folder}/{name}";
    }
}
