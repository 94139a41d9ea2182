using Aims.Collectors.Sources;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.Jira;

/// <summary>
/// The settings under <c>Aims:Sources:Jira</c>, read and validated; errors throw <see cref="InvalidSettingException"/>
/// naming the setting. A class, not a record, so the credential never shows up in a generated <c>ToString</c>.
/// </summary>
public sealed class JiraSettings
{
    /// <summary>The JQL each kind uses unless <c>Queries:{Kind}</c> says otherwise.</summary>
    public static IReadOnlyDictionary<TicketKind, string> DefaultQueries { get; } = new Dictionary<TicketKind, string>
    {
        [TicketKind.Incidents] = "issuetype = \"AI Incident\"",
        [TicketKind.Concerns] = "labels = \"ai-concern\"",
        [TicketKind.ChangeRequests] = "labels = \"ai-change\"",
        [TicketKind.ImpactAssessments] = "labels = \"ai-impact-assessment\"",
        [TicketKind.VendorReviews] = "labels = \"ai-vendor-review\"",
        [TicketKind.Nonconformities] = "labels = \"ai-nonconformity\"",
    };

    public static IReadOnlyList<string> DefaultApprovalStatuses { get; } = ["Approved"];

    public static IReadOnlyList<string> DefaultNotifiedStatuses { get; } = ["Notified"];

    public static IReadOnlyList<string> DefaultCanceledOutcomes { get; } =
        ["Won't Do", "Won't Fix", "Duplicate", "Cannot Reproduce", "Declined", "Rejected", "Canceled", "Cancelled"];

    private JiraSettings()
    {
    }

    /// <summary>The site root, ending in '/': <c>https://contoso.atlassian.net/</c>, a Data Center context path, or <c>https://api.atlassian.com/ex/jira/{cloudId}/</c> for OAuth.</summary>
    public Uri BaseUrl { get; private init; } = null!;

    internal TicketCredential Credential { get; private init; } = null!;

    /// <summary>Whether the credential is an OAuth bearer token (else Email and ApiToken).</summary>
    public bool UsesBearerToken { get; private init; }

    /// <summary>The configuration path the settings came from (<c>Aims:Sources:Jira</c>), for messages.</summary>
    public string SettingsPath { get; private init; } = "Aims:Sources:Jira";

    /// <summary>Project keys the queries are limited to; each gets an item even when it has no tickets. Empty: whatever the JQL finds.</summary>
    public IReadOnlyList<string> Projects { get; private init; } = [];

    public IReadOnlyDictionary<TicketKind, string> Queries { get; private init; } = DefaultQueries;

    public IReadOnlyList<TicketKind> Kinds { get; private init; } = TicketKind.All;

    /// <summary>Statuses whose entry (author and time, from the changelog) is the approval.</summary>
    public IReadOnlyList<string> ApprovalStatuses { get; private init; } = DefaultApprovalStatuses;

    /// <summary>Statuses whose first entry marks when an incident was notified.</summary>
    public IReadOnlyList<string> NotifiedStatuses { get; private init; } = DefaultNotifiedStatuses;

    /// <summary>A date field (e.g. <c>customfield_10070</c>) holding the notification time; it wins over <see cref="NotifiedStatuses"/>.</summary>
    public string? NotifiedField { get; private init; }

    /// <summary>A date field holding the detection time; the issue's creation otherwise.</summary>
    public string? DetectedField { get; private init; }

    /// <summary>Resolutions or final statuses that mean "not carried out" (not an unapproved change, not a resolved incident).</summary>
    public IReadOnlyList<string> CanceledOutcomes { get; private init; } = DefaultCanceledOutcomes;

    /// <summary><c>maxResults</c> per search page.</summary>
    public int PageSize { get; private init; } = 100;

    public TimeSpan MaxRateLimitWait { get; private init; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How old the kept population may get before a run reads everything again instead of only what changed
    /// (<c>FullReadEveryDays</c>, default 7; 0: every run reads in full).
    /// </summary>
    public TimeSpan FullReadEvery { get; private init; } = TimeSpan.FromDays(7);

    /// <summary>True when the section sets a base URL (every source has one; Jira has no default).</summary>
    public static bool IsConfigured(IConfigurationSection section) => section.Exists() && SourceSettings.Value(section, "BaseUrl") is not null;

    public static JiraSettings Read(IConfigurationSection section)
    {
        string Key(string name) => SourceSettings.Key(section, name);

        var baseUrl = SourceSettings.BaseUrl(section, "https://contoso.atlassian.net")
            ?? throw new InvalidSettingException(Key("BaseUrl"), "required: the Jira site, e.g. https://contoso.atlassian.net.");
        var credential = ReadCredential(section);

        var projects = new List<string>();
        foreach (var project in SourceSettings.List(section, "Projects"))
        {
            if (project.Length > 255 || !char.IsAsciiLetter(project[0]) || !project.All(c => char.IsAsciiLetterOrDigit(c) || c == '_'))
            {
                throw new InvalidSettingException(Key("Projects"), $"'{project}' is not a Jira project key (letters, digits and '_', starting with a letter).");
            }

            if (!projects.Contains(project, StringComparer.OrdinalIgnoreCase))
            {
                projects.Add(project.ToUpperInvariant());
            }
        }

        var queries = TicketSettings.PerKind(section, "Queries", DefaultQueries);
        foreach (var (kind, jql) in queries)
        {
            JiraQuery.Validate(jql, $"{Key("Queries")}:{kind.Setting}");
        }

        return new JiraSettings
        {
            BaseUrl = baseUrl,
            Credential = credential,
            UsesBearerToken = SourceSettings.Value(section, "BearerToken") is not null,
            SettingsPath = section.Path,
            Projects = projects,
            Queries = queries,
            Kinds = TicketSettings.Kinds(section, TicketKind.All),
            ApprovalStatuses = ListOr(section, "ApprovalStatuses", DefaultApprovalStatuses),
            NotifiedStatuses = ListOr(section, "NotifiedStatuses", DefaultNotifiedStatuses),
            NotifiedField = Field(section, "NotifiedField"),
            DetectedField = Field(section, "DetectedField"),
            CanceledOutcomes = ListOr(section, "CanceledOutcomes", DefaultCanceledOutcomes),
            PageSize = SourceSettings.Int(section, "PageSize", 100, 1, 5000),
            MaxRateLimitWait = SourceSettings.MaxRateLimitWait(section),
            FullReadEvery = TimeSpan.FromDays(SourceSettings.Int(section, "FullReadEveryDays", 7, 0, 90)),
        };
    }

    /// <summary>A one-line description for the digest: where, what, which kind of credential (never the credential).</summary>
    public string Describe()
    {
        var scope = Projects.Count > 0 ? $"projects {string.Join(", ", Projects)}" : "all projects the queries find";
        return $"{BaseUrl.Host}{BaseUrl.AbsolutePath.TrimEnd('/')}: {string.Join(", ", Kinds.Select(k => k.Slug))} in {scope}; {Credential.Kind}";
    }

    private static TicketCredential ReadCredential(IConfigurationSection section)
    {
        string Key(string name) => SourceSettings.Key(section, name);

        var email = SourceSettings.Value(section, "Email");
        var apiToken = SourceSettings.Secret(section, "ApiToken");
        var bearer = SourceSettings.Secret(section, "BearerToken");
        if (bearer is not null && (email is not null || apiToken is not null))
        {
            throw new InvalidSettingException(Key("BearerToken"), "set either BearerToken (OAuth 2.0) or Email with ApiToken, not both.");
        }

        if (bearer is not null)
        {
            return TicketCredential.Bearer(bearer, "OAuth 2.0 bearer token");
        }

        if (email is null && apiToken is null)
        {
            throw new InvalidSettingException(Key("ApiToken"),
                "Jira needs credentials: set Email and the API token (through the environment variable Aims__Sources__Jira__ApiToken), or BearerToken for OAuth 2.0.");
        }

        if (email is null)
        {
            throw new InvalidSettingException(Key("Email"), "required with ApiToken: the Atlassian account the API token belongs to.");
        }

        if (apiToken is null)
        {
            throw new InvalidSettingException(Key("ApiToken"), $"required with Email: the API token of {email}, set through the environment variable Aims__Sources__Jira__ApiToken.");
        }

        if (email.Contains(':', StringComparison.Ordinal) || email.Any(char.IsControl))
        {
            throw new InvalidSettingException(Key("Email"), "must not contain ':' or control characters.");
        }

        return TicketCredential.Basic(email, apiToken, "API token (Basic)");
    }

    private static IReadOnlyList<string> ListOr(IConfigurationSection section, string name, IReadOnlyList<string> fallback)
    {
        var list = SourceSettings.List(section, name);
        return list.Count > 0 ? list : fallback;
    }

    private static string? Field(IConfigurationSection section, string name)
    {
        var field = SourceSettings.Value(section, name);
        if (field is not null && (!char.IsAsciiLetter(field[0]) || !field.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')))
        {
            throw new InvalidSettingException(SourceSettings.Key(section, name), $"'{field}' is not a Jira field id (e.g. customfield_10070 or duedate).");
        }

        return field;
    }
}
