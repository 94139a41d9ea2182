using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Ticketing.Jira;

/// <summary>
/// Collects ticket populations from Jira Cloud (REST v3): one job per kind runs its JQL through the token-paged
/// <c>POST /rest/api/3/search/jql</c> with the changelog expanded, normalizes each issue, and emits one item per
/// project key found (or configured), so the AI-system inventory can attribute each population by its project.
/// </summary>
public sealed class JiraCollector : IEvidenceCollector
{
    public const string SourceName = "Jira";
    public const string SystemId = "jira";
    public const string SearchPath = "rest/api/3/search/jql";

    /// <summary>The subject id part used when no project is configured and the query found nothing.</summary>
    public const string AnyProject = "*";

    private readonly JiraSettings _settings;
    private readonly JsonRestClient _client;
    private readonly JiraIssueReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public JiraCollector(JiraSettings settings, SourceContext context)
    {
        _settings = settings;
        _time = context.Time;
        _logger = context.Loggers.CreateLogger<JiraCollector>();
        _reader = new JiraIssueReader(settings);
        var http = context.CreateHttpClient(settings.BaseUrl);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("aims-evidence", TicketJobs.Version));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _client = new JsonRestClient(http, settings.BaseUrl, new JsonRestClientOptions
        {
            Source = SourceName,
            Cache = context.ResponseCache,
            MaxRateLimitWait = settings.MaxRateLimitWait,
            DescribeError = JiraErrors.For(settings),
            Authorize = settings.Credential.AuthorizeAsync,
        }, context.Time, _logger);
        Identity = new CollectorIdentity("ticketing", settings.BaseUrl.AbsoluteUri.TrimEnd('/'), "jira", TicketJobs.Version);
        Kinds = settings.Kinds.Select(k => k.EvidenceKind).ToList();
    }

    public string Source => SourceName;

    public IReadOnlyList<string> Kinds { get; }

    /// <summary>What the host passes to <see cref="EvidenceRecorder"/> for this collector's jobs.</summary>
    public CollectorIdentity Identity { get; }

    public IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, CancellationToken cancellationToken = default) =>
        _settings.Kinds.Select(kind => TicketJobs.Job(plan, SourceName, $"{SystemId}:{kind.Slug}", kind)).ToAsyncEnumerable();

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        var kind = TicketJobs.KindOf(job, _settings.Kinds);
        var jql = JiraQuery.Build(_settings.Queries[kind], _settings.Projects, job.Period);
        var locator = _client.Resolve(SearchPath).AbsolutePath;
        var progress = new PagingProgress();
        var byProject = new SortedDictionary<string, List<Ticket>>(StringComparer.OrdinalIgnoreCase);
        foreach (var project in _settings.Projects)
        {
            byProject[project] = [];
        }

        try
        {
            await foreach (var page in _client.GetTokenPagesAsync(
                token => RestRequest.Post(SearchPath, SearchBody(jql, token)),
                ReadSearchPage,
                NextToken,
                progress,
                _logger,
                cancellationToken).ConfigureAwait(false))
            {
                foreach (var issue in TicketJson.Objects(page.Issues))
                {
                    var histories = await HistoriesAsync(issue, progress, cancellationToken).ConfigureAwait(false);
                    var ticket = Read(page.Response, issue, histories);
                    if (ticket.InPeriod(job.Period))
                    {
                        (byProject.TryGetValue(ticket.Project, out var list) ? list : byProject[ticket.Project] = []).Add(ticket);
                    }
                }
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var error = TicketJobs.Describe(ex, $"Check {_settings.SettingsPath}:BaseUrl: it must be the Jira site root (for OAuth 2.0, https://api.atlassian.com/ex/jira/{{cloudId}}).");
            var projects = _settings.Projects.Count > 0 ? _settings.Projects : [AnyProject];
            foreach (var project in projects)
            {
                var subject = Subject(kind, project);
                TicketingLog.Failed(_logger, SourceName, kind.Slug, subject.Id, error);
                await TicketEvidence.ReportErrorAsync(sink, kind, subject, locator, error, project == AnyProject ? null : project, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (byProject.Count == 0)
        {
            byProject[AnyProject] = [];
        }

        var now = _time.GetUtcNow();
        foreach (var (project, tickets) in byProject)
        {
            var population = new TicketPopulation
            {
                System = SystemId,
                Kind = kind,
                SubjectId = Subject(kind, project).Id,
                DisplayName = Subject(kind, project).DisplayName,
                Project = project == AnyProject ? null : project,
                Query = jql,
                Locator = locator,
                Period = job.Period,
                Tickets = tickets,
                IncompleteReason = progress.StopReason,
            };
            await TicketEvidence.EmitLoggedAsync(sink, population, now, _logger, SourceName, cancellationToken).ConfigureAwait(false);
        }
    }

    private static Subject Subject(TicketKind kind, string project) =>
        new("ticket-query", $"{SystemId}/{project}/{kind.Slug}", project == AnyProject ? $"Jira {kind.Noun} (any project)" : $"Jira {project} {kind.Noun}");

    private ReadOnlyMemory<byte> SearchBody(string jql, string? token)
    {
        var body = new JsonObject
        {
            ["jql"] = jql,
            ["fields"] = new JsonArray(_reader.Fields.Select(f => (JsonNode)f).ToArray()),
            ["expand"] = "changelog",
            ["maxResults"] = _settings.PageSize,
        };
        if (token is not null)
        {
            body["nextPageToken"] = token;
        }

        return System.Text.Encoding.UTF8.GetBytes(body.ToJsonString());
    }

    private static SearchPage ReadSearchPage(RestResponse response)
    {
        var o = response.ParseObject();
        var issues = o["issues"] as JsonArray ?? throw SourceRequestException.Malformed(response.Method, response.Url, "expected an array 'issues'.");
        return new SearchPage(response, issues, TicketJson.Bool(o, "isLast"), TicketJson.String(o, "nextPageToken"));
    }

    private static string? NextToken(SearchPage page) => page.IsLast == true ? null : page.NextPageToken;

    private Ticket Read(RestResponse response, JsonObject issue, IEnumerable<JsonObject> histories)
    {
        try
        {
            return _reader.Read(issue, histories);
        }
        catch (FormatException ex)
        {
            throw SourceRequestException.Malformed(response.Method, response.Url, ex.Message, ex);
        }
    }

    /// <summary>
    /// The issue's changelog: what the search embedded, or, when Jira cut it short (<c>total</c> above the histories
    /// sent), the whole of it from <c>GET /rest/api/3/issue/{id}/changelog</c>.
    /// </summary>
    private async Task<IReadOnlyList<JsonObject>> HistoriesAsync(JsonObject issue, PagingProgress progress, CancellationToken cancellationToken)
    {
        var changelog = TicketJson.Object(issue, "changelog");
        var embedded = TicketJson.Objects(TicketJson.Array(changelog, "histories")).ToList();
        var total = TicketJson.Long(changelog, "total");
        var id = TicketJson.Text(issue, "id") ?? TicketJson.String(issue, "key");
        if (total is null || total <= embedded.Count || id is null)
        {
            return embedded;
        }

        const int pageSize = 100;
        var all = new List<JsonObject>();
        var path = $"rest/api/3/issue/{Uri.EscapeDataString(id)}/changelog";
        await foreach (var page in _client.GetOffsetPagesAsync(
            offset => $"{path}?startAt={offset.ToString(CultureInfo.InvariantCulture)}&maxResults={pageSize}",
            pageSize,
            ReadChangelogPage,
            p => new OffsetPageInfo(p.Values.Count, TicketJson.Text(p.Values.FirstOrDefault(), "id"), p.IsLast, p.Total),
            progress,
            _logger,
            conditional: true,
            cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            all.AddRange(page.Values);
        }

        return all;
    }

    private static ChangelogPage ReadChangelogPage(RestResponse response)
    {
        var o = response.ParseObject();
        var values = o["values"] as JsonArray ?? throw SourceRequestException.Malformed(response.Method, response.Url, "expected an array 'values'.");
        return new ChangelogPage(TicketJson.Objects(values).ToList(), TicketJson.Bool(o, "isLast"), TicketJson.Long(o, "total"));
    }

    private sealed record SearchPage(RestResponse Response, JsonArray Issues, bool? IsLast, string? NextPageToken);

    private sealed record ChangelogPage(IReadOnlyList<JsonObject> Values, bool? IsLast, long? Total);
}
