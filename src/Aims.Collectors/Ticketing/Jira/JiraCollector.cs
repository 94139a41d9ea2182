using System.Globalization;
using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Aims.Evidence.Store;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Ticketing.Jira;

/// <summary>
/// Collects ticket populations from Jira Cloud (REST v3): one job per kind runs its JQL through the token-paged
/// <c>POST /rest/api/3/search/jql</c> with the changelog expanded, normalizes each issue, and emits one item per
/// project key found (or configured), so the AI-system inventory can attribute each population by its project.
/// With collector state, later runs read only the tickets updated since the last complete read (see
/// <see cref="TicketSnapshot"/>), check the result against Jira's count, and read everything again every
/// <see cref="JiraSettings.FullReadEvery"/>.
/// </summary>
public sealed class JiraCollector : IEvidenceCollector
{
    public const string SourceName = "Jira";
    public const string SystemId = "jira";
    public const string SearchPath = "rest/api/3/search/jql";
    public const string CountPath = "rest/api/3/search/approximate-count";
    public const string IdSearchPath = "rest/api/3/search/id";

    /// <summary>Ids per page of <c>search/id</c> (Jira's documented default; it may send fewer).</summary>
    private const int IdPageSize = 1000;

    /// <summary>The subject id part used when no project is configured and the query found nothing.</summary>
    public const string AnyProject = "*";

    private readonly JiraSettings _settings;
    private readonly JsonRestClient _client;
    private readonly JiraIssueReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ICollectorState? _state;

    public JiraCollector(JiraSettings settings, SourceContext context)
    {
        _settings = settings;
        _time = context.Time;
        _state = context.State;
        _logger = context.Loggers.CreateLogger<JiraCollector>();
        _reader = new JiraIssueReader(settings);
        _client = TicketJobs.Client(context, settings.BaseUrl, "application/json", new JsonRestClientOptions
        {
            Source = SourceName,
            Cache = context.ResponseCache,
            MaxRateLimitWait = settings.MaxRateLimitWait,
            DescribeError = JiraErrors.For(settings),
            Authorize = settings.Credential.AuthorizeAsync,
        }, _logger);
        Identity = TicketJobs.Identity(settings.BaseUrl, "jira");
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
        var filter = JiraQuery.Filter(_settings.Queries[kind], _settings.Projects, job.Period);
        var jql = filter + JiraQuery.Order;
        var locator = _client.Resolve(SearchPath).AbsolutePath;
        var progress = new PagingProgress();
        var startedAt = _time.GetUtcNow();
        IReadOnlyDictionary<string, Ticket> read;
        try
        {
            read = await ReadPopulationAsync(kind, filter, job.Period, startedAt, progress, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (TicketJobs.BlamesTheSubject(ex, cancellationToken))
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

        var byProject = new SortedDictionary<string, List<Ticket>>(StringComparer.OrdinalIgnoreCase);
        foreach (var project in _settings.Projects)
        {
            byProject[project] = [];
        }

        // Created order, as the search returns them, whichever way the population was read.
        foreach (var ticket in read.Values.Where(t => t.InPeriod(job.Period)).OrderBy(t => t.CreatedAt).ThenBy(t => t.Key, StringComparer.Ordinal))
        {
            (byProject.TryGetValue(ticket.Project, out var list) ? list : byProject[ticket.Project] = []).Add(ticket);
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

        // Only a complete population, once its evidence is recorded, may stand in for the next run's full read.
        if (progress.Complete && _state is not null && _settings.FullReadEvery > TimeSpan.Zero)
        {
            var snapshot = new TicketSnapshot { Fingerprint = Fingerprint(kind), ReadAt = startedAt, Period = job.Period, Tickets = read };
            try
            {
                await snapshot.SaveAsync(_state, SourceName, StateKey(kind), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not StoreFailureException)
            {
                TicketingLog.SnapshotNotSaved(_logger, SourceName, kind.Slug, ex.Message);
            }
        }
    }

    /// <summary>
    /// Every ticket the query matches, by issue id. With a usable snapshot of the last read, only what changed is asked
    /// for (tickets updated since that read) and merged in; an approximate count then checks the merged population, and
    /// when it disagrees the population is reconciled against the ids the query matches now. Otherwise: a full search.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, Ticket>> ReadPopulationAsync(TicketKind kind, string filter, EvidencePeriod period, DateTimeOffset startedAt, PagingProgress progress, CancellationToken cancellationToken)
    {
        var snapshot = await UsableSnapshotAsync(kind, period, startedAt, cancellationToken).ConfigureAwait(false);
        if (snapshot is null)
        {
            var all = await SearchAsync(filter + JiraQuery.Order, progress, cancellationToken).ConfigureAwait(false);
            TicketingLog.ReadFull(_logger, SourceName, kind.Slug, all.Count);
            return all;
        }

        var changed = await SearchAsync(JiraQuery.UpdatedSince(filter, snapshot.ReadAt), progress, cancellationToken).ConfigureAwait(false);
        var merged = new Dictionary<string, Ticket>(StringComparer.Ordinal);
        foreach (var (id, ticket) in snapshot.Tickets)
        {
            if (JiraQuery.StillMatches(ticket, period))
            {
                merged[id] = ticket;
            }
        }

        foreach (var (id, ticket) in changed)
        {
            merged[id] = ticket;
        }

        var count = await ApproximateCountAsync(filter, cancellationToken).ConfigureAwait(false);
        if (count == merged.Count)
        {
            TicketingLog.ReadChanges(_logger, SourceName, kind.Slug, changed.Count, merged.Count);
            return merged;
        }

        // Something left the query without being updated (deleted, moved, permissions) or the count lags: ask Jira
        // which ids match now, keep those, and read the ones neither the snapshot nor the changes hold.
        TicketingLog.Reconciling(_logger, SourceName, kind.Slug, merged.Count, count?.ToString(CultureInfo.InvariantCulture) ?? "unavailable");
        var ids = await MatchingIdsAsync(filter, progress, cancellationToken).ConfigureAwait(false);
        var reconciled = new Dictionary<string, Ticket>(ids.Count, StringComparer.Ordinal);
        var missing = new List<string>();
        foreach (var id in ids)
        {
            if (merged.TryGetValue(id, out var ticket))
            {
                reconciled[id] = ticket;
            }
            else
            {
                missing.Add(id);
            }
        }

        foreach (var batch in missing.Chunk(_settings.PageSize))
        {
            foreach (var (id, ticket) in await SearchAsync(JiraQuery.ByIds(batch), progress, cancellationToken).ConfigureAwait(false))
            {
                reconciled[id] = ticket;
            }
        }

        TicketingLog.ReadChanges(_logger, SourceName, kind.Slug, changed.Count + missing.Count, reconciled.Count);
        return reconciled;
    }

    private async Task<TicketSnapshot?> UsableSnapshotAsync(TicketKind kind, EvidencePeriod period, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_state is null || _settings.FullReadEvery <= TimeSpan.Zero)
        {
            return null;
        }

        var (snapshot, unusable) = await TicketSnapshot.LoadAsync(_state, SourceName, StateKey(kind), Fingerprint(kind), cancellationToken).ConfigureAwait(false);
        unusable ??= snapshot switch
        {
            null => null,
            _ when now - snapshot.ReadAt >= _settings.FullReadEvery || snapshot.ReadAt > now =>
                $"it was read at {snapshot.ReadAt:u}, and a full read is due every {_settings.FullReadEvery.TotalDays} day(s)",
            _ when period.From < snapshot.Period.From =>
                $"the period now starts {period.From:u}, before the kept population's {snapshot.Period.From:u}",
            _ => null,
        };
        if (unusable is not null)
        {
            TicketingLog.SnapshotUnusable(_logger, SourceName, kind.Slug, unusable);
            return null;
        }

        return snapshot;
    }

    /// <summary>Every issue a search returns, normalized, by issue id; the changelog is completed where Jira cut it short.</summary>
    private async Task<Dictionary<string, Ticket>> SearchAsync(string jql, PagingProgress progress, CancellationToken cancellationToken)
    {
        var tickets = new Dictionary<string, Ticket>(StringComparer.Ordinal);
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
                tickets[IssueId(page.Response, issue)] = ticket;
            }
        }

        return tickets;
    }

    /// <summary><c>POST /rest/api/3/search/approximate-count</c>; null when the site does not offer it or it fails.</summary>
    private async Task<long?> ApproximateCountAsync(string filter, CancellationToken cancellationToken)
    {
        try
        {
            var body = System.Text.Encoding.UTF8.GetBytes(new JsonObject { ["jql"] = filter }.ToJsonString());
            var response = await _client.SendAsync(RestRequest.Post(CountPath, body), cancellationToken).ConfigureAwait(false);
            return TicketJson.Long(response.ParseObject(), "count");
        }
        catch (SourceRequestException ex) when (ex is not SourceAuthException and not SourceThrottledException)
        {
            // Only a shortcut: without it the population is reconciled by id.
            TicketingLog.CountUnavailable(_logger, SourceName, ex.Message);
            return null;
        }
    }

    /// <summary>The ids of every issue the filter matches now, from <c>POST /rest/api/3/search/id</c>.</summary>
    private async Task<List<string>> MatchingIdsAsync(string filter, PagingProgress progress, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await foreach (var page in _client.GetTokenPagesAsync(
            token =>
            {
                var body = new JsonObject { ["jql"] = filter, ["maxResults"] = IdPageSize };
                if (token is not null)
                {
                    body["nextPageToken"] = token;
                }

                return RestRequest.Post(IdSearchPath, System.Text.Encoding.UTF8.GetBytes(body.ToJsonString()));
            },
            ReadIdPage,
            p => p.NextPageToken,
            progress,
            _logger,
            cancellationToken).ConfigureAwait(false))
        {
            ids.AddRange(page.Ids);
        }

        return ids;
    }

    private static IdPage ReadIdPage(RestResponse response)
    {
        var o = response.ParseObject();
        var values = o["issueIds"] as JsonArray ?? throw SourceRequestException.Malformed(response.Method, response.Url, "expected an array 'issueIds'.");
        var ids = new List<string>(values.Count);
        foreach (var value in values)
        {
            ids.Add(value is JsonValue v && v.TryGetValue<long>(out var id) && id > 0
                ? id.ToString(CultureInfo.InvariantCulture)
                : throw SourceRequestException.Malformed(response.Method, response.Url, $"'issueIds' holds {value?.ToJsonString() ?? "null"}, not an issue id."));
        }

        return new IdPage(ids, TicketJson.String(o, "nextPageToken"));
    }

    // Jira's numeric issue id: it survives a move to another project, which changes the key.
    private static string IssueId(RestResponse response, JsonObject issue) =>
        TicketJson.Text(issue, "id") is { Length: > 0 } id && id.All(char.IsAsciiDigit)
            ? id
            : throw SourceRequestException.Malformed(response.Method, response.Url, $"issue {TicketJson.String(issue, "key") ?? "?"} has no numeric 'id'.");

    private static string StateKey(TicketKind kind) => $"{SystemId}.{kind.Slug}.jsonl";

    private string Fingerprint(TicketKind kind) => TicketSnapshot.FingerprintOf(
    [
        TicketJobs.Version,
        _settings.BaseUrl.AbsoluteUri,
        _settings.Queries[kind],
        string.Join(',', _settings.Projects),
        string.Join(',', _reader.Fields),
        string.Join(',', _settings.ApprovalStatuses),
        string.Join(',', _settings.NotifiedStatuses),
        string.Join(',', _settings.CanceledOutcomes),
        _settings.NotifiedField,
        _settings.DetectedField,
    ]);

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

    private sealed record IdPage(IReadOnlyList<string> Ids, string? NextPageToken);

    private sealed record ChangelogPage(IReadOnlyList<JsonObject> Values, bool? IsLast, long? Total);
}
