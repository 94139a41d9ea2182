using Aims.Collectors.GitHub;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Microsoft.Extensions.Configuration;

namespace Aims.Collectors.Ticketing.GitHubIssues;

/// <summary>
/// The settings under <c>Aims:Sources:GitHubIssues</c>, read and validated; errors throw <see cref="InvalidSettingException"/>
/// naming the setting. A class, not a record, so the token never shows up in a generated <c>ToString</c>.
/// </summary>
public sealed class GitHubIssuesSettings
{
    /// <summary>The label each kind's issues carry unless <c>Labels:{Kind}</c> says otherwise.</summary>
    public static IReadOnlyDictionary<TicketKind, IReadOnlyList<string>> DefaultLabels { get; } = new Dictionary<TicketKind, IReadOnlyList<string>>
    {
        [TicketKind.Incidents] = ["ai-incident"],
        [TicketKind.Concerns] = ["ai-concern"],
        [TicketKind.ChangeRequests] = ["ai-change"],
        [TicketKind.ImpactAssessments] = ["ai-impact-assessment"],
        [TicketKind.VendorReviews] = ["ai-vendor-review"],
        [TicketKind.Nonconformities] = ["ai-nonconformity"],
    };

    public static IReadOnlyList<string> DefaultApprovalLabels { get; } = ["approved"];

    public static IReadOnlyList<string> DefaultNotifiedLabels { get; } = ["notified"];

    private GitHubIssuesSettings()
    {
    }

    public Uri BaseUrl { get; private init; } = GitHubSettings.PublicApi;

    internal TicketCredential Credential { get; private init; } = null!;

    public string SettingsPath { get; private init; } = "Aims:Sources:GitHubIssues";

    public IReadOnlyList<RepositoryName> Repositories { get; private init; } = [];

    /// <summary>Labels per kind; an issue needs all of a kind's labels (GitHub's <c>labels</c> filter).</summary>
    public IReadOnlyDictionary<TicketKind, IReadOnlyList<string>> Labels { get; private init; } = DefaultLabels;

    /// <summary>Issue types per kind (GitHub's <c>type</c> filter), when the organization uses them.</summary>
    public IReadOnlyDictionary<TicketKind, string> Types { get; private init; } = new Dictionary<TicketKind, string>();

    public IReadOnlyList<TicketKind> Kinds { get; private init; } = TicketKind.All;

    /// <summary>Labels whose addition (who and when, from the issue's events) is the approval.</summary>
    public IReadOnlyList<string> ApprovalLabels { get; private init; } = DefaultApprovalLabels;

    /// <summary>Labels whose first addition marks when an incident was notified.</summary>
    public IReadOnlyList<string> NotifiedLabels { get; private init; } = DefaultNotifiedLabels;

    public int ReposPerJob { get; private init; } = 10;

    public TimeSpan MaxRateLimitWait { get; private init; } = TimeSpan.FromMinutes(15);

    public static bool IsConfigured(IConfigurationSection section) => section.Exists() && SourceSettings.List(section, "Repositories").Count > 0;

    public static GitHubIssuesSettings Read(IConfigurationSection section)
    {
        string Key(string name) => SourceSettings.Key(section, name);

        var baseUrl = SourceSettings.BaseUrl(section, "https://api.github.com or https://github.example.com/api/v3", GitHubSettings.PublicApi)!;
        var token = SourceSettings.Secret(section, "Token")
            ?? throw new InvalidSettingException(Key("Token"), "required: a token that can read the repositories' issues, set through the environment variable Aims__Sources__GitHubIssues__Token.");

        var names = SourceSettings.List(section, "Repositories");
        if (names.Count == 0)
        {
            throw new InvalidSettingException(Key("Repositories"), "required: the repositories (owner/name) whose issues to collect.");
        }

        var repositories = new List<RepositoryName>();
        for (var i = 0; i < names.Count; i++)
        {
            if (!RepositoryName.TryParse(names[i], out var name))
            {
                throw new InvalidSettingException($"{Key("Repositories")}:{i}", $"'{names[i]}' is not a repository as owner/name.");
            }

            if (!repositories.Any(r => string.Equals(r.FullName, name.FullName, StringComparison.OrdinalIgnoreCase)))
            {
                repositories.Add(name);
            }
        }

        return new GitHubIssuesSettings
        {
            BaseUrl = baseUrl,
            Credential = TicketCredential.Bearer(token, "token"),
            SettingsPath = section.Path,
            Repositories = repositories,
            Labels = ReadLabels(section),
            Types = TicketSettings.PerKind(section, "Types", new Dictionary<TicketKind, string>()),
            Kinds = TicketSettings.Kinds(section, TicketKind.All),
            ApprovalLabels = LabelsOr(section, "ApprovalLabels", DefaultApprovalLabels),
            NotifiedLabels = LabelsOr(section, "NotifiedLabels", DefaultNotifiedLabels),
            ReposPerJob = SourceSettings.Int(section, "ReposPerJob", 10, 1, 500),
            MaxRateLimitWait = SourceSettings.MaxRateLimitWait(section),
        };
    }

    public string Describe() =>
        $"{BaseUrl.Host}{BaseUrl.AbsolutePath.TrimEnd('/')}: {string.Join(", ", Kinds.Select(k => k.Slug))} in {Repositories.Count} repositor{(Repositories.Count == 1 ? "y" : "ies")}; {Credential.Kind}";

    private static Dictionary<TicketKind, IReadOnlyList<string>> ReadLabels(IConfigurationSection section)
    {
        var group = section.GetSection("Labels");
        foreach (var child in group.GetChildren())
        {
            if (TicketKind.Find(child.Key) is null)
            {
                throw new InvalidSettingException(child.Path, $"'{child.Key}' is not a ticket kind (known: {string.Join(", ", TicketKind.All.Select(k => k.Setting))}).");
            }
        }

        var labels = new Dictionary<TicketKind, IReadOnlyList<string>>();
        foreach (var kind in TicketKind.All)
        {
            var configured = SourceSettings.List(group, kind.Setting);
            labels[kind] = configured.Count > 0 ? configured : DefaultLabels[kind];
        }

        return labels;
    }

    private static IReadOnlyList<string> LabelsOr(IConfigurationSection section, string name, IReadOnlyList<string> fallback)
    {
        var list = SourceSettings.List(section, name);
        return list.Count > 0 ? list : fallback;
    }
}
