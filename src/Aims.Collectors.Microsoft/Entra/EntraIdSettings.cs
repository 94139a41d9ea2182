using Aims.Collectors.Microsoft.Settings;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Microsoft.Entra;

/// <summary>The settings under <c>Aims:Sources:EntraId</c>.</summary>
/// <param name="BaseUrl">Graph root including the version, e.g. <c>https://graph.microsoft.com/v1.0</c> (national clouds differ).</param>
/// <param name="Scope">The token scope derived from the Graph host: <c>https://graph.microsoft.com/.default</c>.</param>
/// <param name="Groups">Ids of the AI-governance groups.</param>
/// <param name="Apps">App ids or service principal ids of apps that are AI systems.</param>
/// <param name="AppTags">Service principal tags that mark an app as an AI system.</param>
/// <param name="PrivilegedRoles">Directory role template ids or display names whose assignments are evidence.</param>
/// <param name="TenantId">The tenant, when configured; otherwise read from <c>/organization</c> where it is needed.</param>
/// <param name="PageSize">The <c>$top</c> asked for on listings.</param>
/// <param name="FullReadEveryDays">
/// How old the last full read of a group may get before a re-run reads the group in full again instead of applying
/// delta changes: a group delta reports who joined or left, not a member's renamed or disabled account. 0 = never delta.
/// </param>
internal sealed record EntraIdSettings(
    Uri BaseUrl,
    string Scope,
    IReadOnlyList<string> Groups,
    IReadOnlyList<string> Apps,
    IReadOnlyList<string> AppTags,
    IReadOnlyList<string> PrivilegedRoles,
    string? TenantId,
    int PageSize,
    int FullReadEveryDays,
    CredentialSettings Credential)
{
    public const string DefaultBaseUrl = "https://graph.microsoft.com/v1.0";
    public const string DefaultAppTag = "ai-system";

    /// <summary>Graph keeps directory delta tokens for seven days; a weekly full read also refreshes every member's facts.</summary>
    public const int DefaultFullReadEveryDays = 7;

    /// <summary>Role template ids of the directory roles that can change who runs or administers AI apps.</summary>
    public static readonly IReadOnlyList<string> DefaultPrivilegedRoles =
    [
        "62e90394-69f5-4237-9190-012177145e10", // Global Administrator
        "e8611ab8-c189-46e8-94e1-60213ab1f814", // Privileged Role Administrator
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13", // Privileged Authentication Administrator
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3", // Application Administrator
        "158c047a-c907-4556-b7ef-446551a6b5f7", // Cloud Application Administrator
        "b1be1c3e-b65d-4f19-8427-f6fa0d97feb9", // Conditional Access Administrator
        "194ae4cb-b126-40b2-bd5b-6091b380977d", // Security Administrator
        "d2562ede-74db-457e-a7b6-544e236ebb61", // AI Administrator
    ];

    /// <summary>The tenant-level subject id: the configured tenant, else the Graph host (stable for one configuration).</summary>
    public string TenantSubjectId => TenantId ?? BaseUrl.Host;

    public static EntraIdSettings Read(IConfigurationSection section, SourceContext context, bool checkFiles = true)
    {
        var baseUrl = SettingReader.HttpsUrl(section, "BaseUrl", DefaultBaseUrl);
        var segments = baseUrl.AbsolutePath.Trim('/');
        if (segments.Length == 0)
        {
            throw new InvalidSettingException(SettingReader.PathOf(section, "BaseUrl"), $"'{baseUrl}' needs the API version in its path, e.g. {DefaultBaseUrl}.");
        }

        var groups = SettingReader.List(section, "Groups")
            .Select(g => SettingReader.Guid(SettingReader.PathOf(section, "Groups"), g))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var apps = SettingReader.List(section, "Apps")
            .Select(a => SettingReader.Guid(SettingReader.PathOf(section, "Apps"), a))
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var tagsSection = section.GetSection("AppTags");
        var tags = tagsSection.Exists() ? SettingReader.List(section, "AppTags") : [DefaultAppTag];
        var roles = SettingReader.List(section, "PrivilegedRoles");
        var credential = CredentialSettings.Read(section, context, checkFiles);
        return new EntraIdSettings(
            new Uri(baseUrl.GetLeftPart(UriPartial.Path).TrimEnd('/')),
            $"{baseUrl.Scheme}://{baseUrl.Authority}/.default",
            groups,
            apps,
            tags,
            roles.Count > 0 ? roles : DefaultPrivilegedRoles,
            credential.TenantId,
            SettingReader.Int(section, "PageSize", 999, 1, 999),
            SettingReader.Int(section, "FullReadEveryDays", DefaultFullReadEveryDays, 0, 90),
            credential);
    }
}
