using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Microsoft.SharePoint;

/// <summary>One document library to collect: a site (URL or Graph site id), a library (name or drive id) and optional folders.</summary>
/// <param name="Site">A site URL (<c>https://contoso.sharepoint.com/sites/ai-governance</c>) or a Graph site id.</param>
/// <param name="Library">The library's display name (<c>Documents</c>, <c>Policies</c>) or its drive id.</param>
/// <param name="Folders">Folder paths inside the library (<c>Approved/Policies</c>); empty = the whole library.</param>
internal sealed record SharePointLibrary(string Site, string Library, IReadOnlyList<string> Folders)
{
    /// <summary>Whether the site is named by its URL rather than by a Graph site id.</summary>
    public bool SiteIsUrl => Site.StartsWith("https://", StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether a path inside the library is in one of the folders (always, when no folder is configured).</summary>
    public bool Covers(string path) =>
        Folders.Count == 0 || Folders.Any(f => path.StartsWith(f + "/", StringComparison.OrdinalIgnoreCase));

    public override string ToString() => $"{Site} / {Library}" + (Folders.Count > 0 ? $" ({string.Join(", ", Folders)})" : "");
}

/// <summary>The settings under <c>Aims:Sources:SharePoint</c>.</summary>
/// <param name="MaxDocumentBytes">Documents larger than this are not downloaded; they are reported with the limit's setting.</param>
/// <param name="VersionHistoryFor">Document types whose version history is read (who changed or approved which version when).</param>
/// <param name="FullReadEveryDays">How old the last full read may get before a re-run reads the library in full again; 0 = every run.</param>
internal sealed record SharePointSettings(
    Uri BaseUrl,
    string Scope,
    IReadOnlyList<SharePointLibrary> Libraries,
    ColumnMap Columns,
    long MaxDocumentBytes,
    IReadOnlyList<string> VersionHistoryFor,
    int FullReadEveryDays,
    CredentialSettings Credential)
{
    public const string DefaultBaseUrl = "https://graph.microsoft.com/v1.0";
    public const int DefaultMaxDocumentMegabytes = 100;
    public const int DefaultFullReadEveryDays = 7;

    /// <summary>The policy is the document whose approval history auditors ask for (A.2.2, A.2.4).</summary>
    public static readonly IReadOnlyList<string> DefaultVersionHistoryFor = ["ai-policy"];

    public string Path => Credential.SettingPrefix;

    public static SharePointSettings Read(IConfigurationSection section, SourceContext context, bool checkFiles = true)
    {
        var baseUrl = SettingReader.HttpsUrl(section, "BaseUrl", DefaultBaseUrl);
        if (baseUrl.AbsolutePath.Trim('/').Length == 0)
        {
            throw new InvalidSettingException(SettingReader.PathOf(section, "BaseUrl"), $"'{baseUrl}' needs the API version in its path, e.g. {DefaultBaseUrl}.");
        }

        var libraries = new List<SharePointLibrary>();
        foreach (var entry in section.GetSection("Libraries").GetChildren())
        {
            libraries.Add(ReadLibrary(entry));
        }

        if (libraries.Count == 0)
        {
            throw new InvalidSettingException(SettingReader.PathOf(section, "Libraries"), "names no library: add one with Site (URL or id) and Library (name or id), e.g. Libraries:0:Site = https://contoso.sharepoint.com/sites/ai-governance.");
        }

        var versionSection = section.GetSection("VersionHistoryFor");
        return new SharePointSettings(
            new Uri(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')),
            $"{baseUrl.Scheme}://{baseUrl.Authority}/.default",
            libraries,
            ColumnMap.Read(section.GetSection("Columns")),
            SettingReader.Int(section, "MaxDocumentMegabytes", DefaultMaxDocumentMegabytes, 1, 2048) * 1024L * 1024L,
            versionSection.Exists() ? SettingReader.List(section, "VersionHistoryFor") : DefaultVersionHistoryFor,
            SettingReader.Int(section, "FullReadEveryDays", DefaultFullReadEveryDays, 0, 90),
            CredentialSettings.Read(section, context, checkFiles));
    }

    private static SharePointLibrary ReadLibrary(IConfigurationSection entry)
    {
        var site = SettingReader.Text(entry, "Site")
            ?? throw new InvalidSettingException(SettingReader.PathOf(entry, "Site"), "is required: the site URL (https://contoso.sharepoint.com/sites/ai-governance) or its Graph site id.");
        if (site.StartsWith("http:", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidSettingException(SettingReader.PathOf(entry, "Site"), $"'{site}' must use https.");
        }

        if (site.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
            && (!Uri.TryCreate(site, UriKind.Absolute, out var url) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment)))
        {
            throw new InvalidSettingException(SettingReader.PathOf(entry, "Site"), $"'{site}' is not a site URL without query, e.g. https://contoso.sharepoint.com/sites/ai-governance.");
        }

        if (!site.StartsWith("https://", StringComparison.OrdinalIgnoreCase) && !site.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or ','))
        {
            throw new InvalidSettingException(SettingReader.PathOf(entry, "Site"), $"'{site}' is neither an https site URL nor a Graph site id (hostname,siteCollectionId,webId).");
        }

        var library = SettingReader.Text(entry, "Library") ?? "Documents";
        if (library.Any(char.IsControl) || library.Length > 255)
        {
            throw new InvalidSettingException(SettingReader.PathOf(entry, "Library"), $"'{library}' is not a library name or drive id.");
        }

        var folders = new List<string>();
        foreach (var folder in SettingReader.List(entry, "Folders"))
        {
            var normalized = folder.Replace('\\', '/').Trim('/');
            if (normalized.Length == 0 || normalized.Split('/').Any(s => s is "" or "." or ".."))
            {
                throw new InvalidSettingException(SettingReader.PathOf(entry, "Folders"), $"'{folder}' is not a folder path inside the library (e.g. Approved/Policies).");
            }

            folders.Add(normalized);
        }

        return new SharePointLibrary(site.TrimEnd('/'), library, folders);
    }
}
