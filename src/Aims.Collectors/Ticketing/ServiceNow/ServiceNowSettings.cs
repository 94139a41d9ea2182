using Aims.Collectors.Sources;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.ServiceNow;

/// <summary>How ServiceNow populations are split into evidence items (and so attributed to AI systems).</summary>
public enum ServiceNowGrouping
{
    /// <summary>One item per table; the <c>project</c> fact is the table name.</summary>
    Table,

    /// <summary>One item per assignment group found; the <c>project</c> fact is the group's name.</summary>
    AssignmentGroup,
}

/// <summary>
/// The settings under <c>Aims:Sources:ServiceNow</c>, read and validated; errors throw <see cref="InvalidSettingException"/>
/// naming the setting. A class, not a record, so the credential never shows up in a generated <c>ToString</c>.
/// </summary>
public sealed class ServiceNowSettings
{
    /// <summary>The tables used unless <c>Tables:{Kind}</c> says otherwise; kinds without one are not collected from ServiceNow.</summary>
    public static IReadOnlyDictionary<TicketKind, string> DefaultTables { get; } = new Dictionary<TicketKind, string>
    {
        [TicketKind.Incidents] = "incident",
        [TicketKind.ChangeRequests] = "change_request",
    };

    /// <summary>The encoded query the default tables use unless <c>Queries:{Kind}</c> says otherwise: the AI category.</summary>
    public const string DefaultQuery = "category=ai";

    private ServiceNowSettings()
    {
    }

    /// <summary>The instance root, ending in '/': <c>https://contoso.service-now.com/</c>.</summary>
    public Uri BaseUrl { get; private init; } = null!;

    internal TicketCredential Credential { get; private init; } = null!;

    public bool UsesBearerToken { get; private init; }

    /// <summary>The configuration path the settings came from (<c>Aims:Sources:ServiceNow</c>), for messages.</summary>
    public string SettingsPath { get; private init; } = "Aims:Sources:ServiceNow";

    public IReadOnlyDictionary<TicketKind, string> Tables { get; private init; } = DefaultTables;

    /// <summary>Encoded queries per kind; a kind without one takes every record of its table live in the period.</summary>
    public IReadOnlyDictionary<TicketKind, string> Queries { get; private init; } = new Dictionary<TicketKind, string>();

    public IReadOnlyList<TicketKind> Kinds { get; private init; } = [TicketKind.Incidents, TicketKind.ChangeRequests];

    public ServiceNowGrouping GroupBy { get; private init; } = ServiceNowGrouping.Table;

    /// <summary>The field holding when an incident was detected (default <c>opened_at</c>).</summary>
    public string DetectedField { get; private init; } = "opened_at";

    /// <summary>A date-time field holding when the incident was notified (e.g. <c>u_notified_at</c>); none by default.</summary>
    public string? NotifiedField { get; private init; }

    /// <summary>The field holding a ticket's due date (default <c>due_date</c>).</summary>
    public string DueField { get; private init; } = "due_date";

    /// <summary><c>sysparm_limit</c> per page.</summary>
    public int PageSize { get; private init; } = 1000;

    /// <summary>Ticket sys_ids per <c>sysapproval_approver</c> request (<c>sysapprovalIN...</c>).</summary>
    public int ApprovalBatchSize { get; private init; } = 50;

    public TimeSpan MaxRateLimitWait { get; private init; } = TimeSpan.FromMinutes(15);

    public static bool IsConfigured(IConfigurationSection section) => section.Exists() && SourceSettings.Value(section, "BaseUrl") is not null;

    public static ServiceNowSettings Read(IConfigurationSection section)
    {
        string Key(string name) => SourceSettings.Key(section, name);

        var baseUrl = SourceSettings.BaseUrl(section, "https://contoso.service-now.com")
            ?? throw new InvalidSettingException(Key("BaseUrl"), "required: the instance, e.g. https://contoso.service-now.com.");
        var credential = ReadCredential(section);

        var tables = TicketSettings.PerKind(section, "Tables", DefaultTables);
        foreach (var (kind, table) in tables)
        {
            if (!IsName(table, dots: false))
            {
                throw new InvalidSettingException($"{Key("Tables")}:{kind.Setting}", $"'{table}' is not a table name (lower-case letters, digits and '_', e.g. incident or x_acme_ai_review).");
            }
        }

        var queries = TicketSettings.PerKind(section, "Queries", new Dictionary<TicketKind, string>());
        foreach (var kind in DefaultTables.Keys)
        {
            // The AI category narrows the shared default tables; a table of one's own is taken whole unless a query says otherwise.
            if (!queries.ContainsKey(kind) && SourceSettings.Value(section.GetSection("Tables"), kind.Setting) is null)
            {
                queries[kind] = DefaultQuery;
            }
        }

        foreach (var (kind, query) in queries)
        {
            var setting = $"{Key("Queries")}:{kind.Setting}";
            if (!tables.ContainsKey(kind))
            {
                throw new InvalidSettingException($"{Key("Tables")}:{kind.Setting}", $"required with {setting}: the table the query runs on.");
            }

            ServiceNowQuery.Validate(query, setting);
        }

        var kinds = TicketSettings.Kinds(section, TicketKind.All.Where(tables.ContainsKey).ToList());
        foreach (var kind in kinds.Where(k => !tables.ContainsKey(k)))
        {
            throw new InvalidSettingException($"{Key("Tables")}:{kind.Setting}", $"required to collect {kind.Slug} (listed in {Key("Kinds")}): the table that holds them.");
        }

        return new ServiceNowSettings
        {
            BaseUrl = baseUrl,
            Credential = credential,
            UsesBearerToken = SourceSettings.Value(section, "BearerToken") is not null,
            SettingsPath = section.Path,
            Tables = tables,
            Queries = queries,
            Kinds = kinds,
            GroupBy = ReadGrouping(section),
            DetectedField = Field(section, "DetectedField") ?? "opened_at",
            NotifiedField = Field(section, "NotifiedField"),
            DueField = Field(section, "DueField") ?? "due_date",
            PageSize = SourceSettings.Int(section, "PageSize", 1000, 1, 10000),
            ApprovalBatchSize = SourceSettings.Int(section, "ApprovalBatchSize", 50, 1, 200),
            MaxRateLimitWait = SourceSettings.MaxRateLimitWait(section),
        };
    }

    public string Describe()
    {
        var tables = string.Join(", ", Kinds.Select(k => $"{k.Slug} from {Tables[k]}"));
        var grouping = GroupBy == ServiceNowGrouping.AssignmentGroup ? " by assignment group" : "";
        return $"{BaseUrl.Host}{BaseUrl.AbsolutePath.TrimEnd('/')}: {tables}{grouping}; {Credential.Kind}";
    }

    private static TicketCredential ReadCredential(IConfigurationSection section)
    {
        string Key(string name) => SourceSettings.Key(section, name);

        var user = SourceSettings.Value(section, "Username");
        // Taken as written: spaces at either end may be part of a password.
        var password = section["Password"] is { Length: > 0 } p && !string.IsNullOrWhiteSpace(p) ? p : null;
        var bearer = SourceSettings.Secret(section, "BearerToken");
        if (bearer is not null && (user is not null || password is not null))
        {
            throw new InvalidSettingException(Key("BearerToken"), "set either BearerToken (OAuth 2.0) or Username with Password, not both.");
        }

        if (bearer is not null)
        {
            return TicketCredential.Bearer(bearer, "OAuth 2.0 bearer token");
        }

        if (user is null && password is null)
        {
            throw new InvalidSettingException(Key("Password"),
                "ServiceNow needs credentials: set Username and the password (through the environment variable Aims__Sources__ServiceNow__Password), or BearerToken for OAuth 2.0.");
        }

        if (user is null)
        {
            throw new InvalidSettingException(Key("Username"), "required with Password: the integration user.");
        }

        if (password is null)
        {
            throw new InvalidSettingException(Key("Password"), $"required with Username: the password of {user}, set through the environment variable Aims__Sources__ServiceNow__Password.");
        }

        if (user.Contains(':', StringComparison.Ordinal) || user.Any(char.IsControl) || password.Any(char.IsControl))
        {
            throw new InvalidSettingException(Key("Username"), "the user name must not contain ':', and neither value control characters.");
        }

        return TicketCredential.Basic(user, password, "user and password (Basic)");
    }

    private static ServiceNowGrouping ReadGrouping(IConfigurationSection section) =>
        SourceSettings.Value(section, "GroupBy")?.ToLowerInvariant() switch
        {
            null or "table" => ServiceNowGrouping.Table,
            "assignment_group" or "assignmentgroup" or "assignment-group" => ServiceNowGrouping.AssignmentGroup,
            var other => throw new InvalidSettingException(SourceSettings.Key(section, "GroupBy"), $"'{other}' must be 'table' or 'assignment_group'."),
        };

    private static string? Field(IConfigurationSection section, string name)
    {
        var field = SourceSettings.Value(section, name);
        return field is null || IsName(field, dots: true)
            ? field
            : throw new InvalidSettingException(SourceSettings.Key(section, name), $"'{field}' is not a field name (lower-case letters, digits, '_' and '.' for a dot-walk).");
    }

    private static bool IsName(string name, bool dots) =>
        name.Length is > 0 and <= 80 && char.IsAsciiLetterLower(name[0])
        && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '_' || (dots && c == '.'));
}
