using Aims.Collectors.Microsoft.Entra;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>
/// The Graph calls the SharePoint source makes. All of them are covered by <c>Sites.Selected</c> (application) once the
/// app holds a read grant on the site, which is what a 403 tells the operator to check.
/// </summary>
internal static class SharePointOperations
{
    private const string Permission = "Sites.Selected, with a 'read' grant for this app on the site (POST /sites/{site-id}/permissions)";

    public static readonly GraphOperation SiteByUrl = new("GET", "/sites/{hostname}:/{path}", Permission);
    public static readonly GraphOperation Site = new("GET", "/sites/{site-id}", Permission);
    public static readonly GraphOperation Drives = new("GET", "/sites/{site-id}/drives", Permission);
    public static readonly GraphOperation DriveList = new("GET", "/drives/{drive-id}/list", Permission);
    public static readonly GraphOperation Delta = new("GET", "/drives/{drive-id}/root/delta", Permission);
    public static readonly GraphOperation Item = new("GET", "/drives/{drive-id}/items/{item-id}?$expand=listItem($expand=fields)", Permission);
    public static readonly GraphOperation Versions = new("GET", "/sites/{site-id}/lists/{list-id}/items/{item-id}/versions", Permission);
    public static readonly GraphOperation Content = new("GET", "/drives/{drive-id}/items/{item-id}/content", Permission);
}
