using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Aims.Collectors.GitHub;
using Aims.Collectors.Http;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Ticketing.GitHubIssues;

/// <summary>
/// Collects ticket populations from GitHub Issues: one job per kind and slice of repositories lists each repository's
/// issues with the kind's labels (and type) — the open ones, and the closed ones updated since the period began —
/// skips pull requests, reads the events of the issues whose approval or notification matters, and emits one item per
/// repository.
/// </summary>
public sealed class GitHubIssuesCollector : IEvidenceCollector
{
    public const string SourceName = "GitHubIssues";
    public const string SystemId = "github-issues";

    private readonly GitHubIssuesSettings _settings;
    private readonly JsonRestClient _client;
    private readonly GitHubIssueReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public GitHubIssuesCollector(GitHubIssuesSettings settings, SourceContext context)
    {
        _settings = settings;
        _time = context.Time;
        _logger = context.Loggers.CreateLogger<GitHubIssuesCollector>();
        _reader = new GitHubIssueReader(settings);
        _client = TicketJobs.Client(context, settings.BaseUrl, "application/vnd.github+json", new JsonRestClientOptions
        {
            Source = SourceName,
            Cache = context.ResponseCache,
            RateLimit = new GitHubRateLimitPolicy(),
            MaxRateLimitWait = settings.MaxRateLimitWait,
            DescribeError = DescribeError,
            Authorize = settings.Credential.AuthorizeAsync,
        }, _logger, ("X-GitHub-Api-Version", GitHubCollector.ApiVersion));
        Identity = TicketJobs.Identity(settings.BaseUrl, "github-issues");
        Kinds = settings.Kinds.Select(k => k.EvidenceKind).ToList();
    }

    public string Source => SourceName;

    public IReadOnlyList<string> Kinds { get; }

    public CollectorIdentity Identity { get; }

    public IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, CancellationToken cancellationToken = default)
    {
        var slices = _settings.Repositories
            .Select(r => r.FullName)
            .Order(StringComparer.OrdinalIgnoreCase)
            .Chunk(_settings.ReposPerJob)
            .ToList();
        return _settings.Kinds
            .SelectMany(kind => slices.Select((slice, i) => TicketJobs.Job(plan, SourceName,
                $"{SystemId}:{kind.Slug}:{(i + 1).ToString("D4", CultureInfo.InvariantCulture)}", kind, string.Join(',', slice))))
            .ToAsyncEnumerable();
    }

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        var kind = TicketJobs.KindOf(job, _settings.Kinds);
        var now = _time.GetUtcNow();
        foreach (var text in (job.Parameter(TicketJobs.RepositoriesParameter) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var repository = RepositoryName.TryParse(text, out var name)
                ? name
                : throw new FormatException($"Job {job.JobId}: '{text}' in parameter '{TicketJobs.RepositoriesParameter}' is not a repository as owner/name.");
            await CollectRepositoryAsync(kind, repository, job.Period, now, sink, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CollectRepositoryAsync(TicketKind kind, RepositoryName repository, EvidencePeriod period, DateTimeOffset now, IEvidenceSink sink, CancellationToken cancellationToken)
    {
        var subject = new Subject("ticket-query", $"{SystemId}/{repository.FullName}/{kind.Slug}", $"GitHub Issues {repository.FullName} {kind.Noun}");
        var filter = Filter(kind);
        var locator = $"/{repository.ApiPath}/issues?{filter}";
        var tickets = new List<Ticket>();
        var seen = new HashSet<long>();
        var progress = new PagingProgress();
        try
        {
            await foreach (var issue in IssuesAsync(repository, filter, period, progress, cancellationToken).ConfigureAwait(false))
            {
                // An issue closed between the two listings shows up in both.
                if (GitHubIssueReader.Number(issue.Item) is { } n && !seen.Add(n))
                {
                    continue;
                }

                var events = NeedsEvents(kind) ? await EventsAsync(repository, GitHubIssueReader.Number(issue.Item), progress, cancellationToken).ConfigureAwait(false) : null;
                var ticket = Read(issue.Response, repository, issue.Item, events);
                if (ticket.InPeriod(period))
                {
                    tickets.Add(ticket);
                }
            }
        }
        catch (Exception ex) when (TicketJobs.BlamesTheSubject(ex, cancellationToken))
        {
            var error = TicketJobs.Describe(ex, $"Check that {repository.FullName} exists and that the token in {_settings.SettingsPath}:Token can see it (GitHub answers 404 for repositories a token may not read).");
            TicketingLog.Failed(_logger, SourceName, kind.Slug, subject.Id, error);
            await TicketEvidence.ReportErrorAsync(sink, kind, subject, locator, error, repository.FullName, repository.FullName, cancellationToken).ConfigureAwait(false);
            return;
        }

        await TicketEvidence.EmitLoggedAsync(sink, new TicketPopulation
        {
            System = SystemId,
            Kind = kind,
            SubjectId = subject.Id,
            DisplayName = subject.DisplayName,

            // Both facts: the inventory may list the repository under its repositories or under its ticket projects.
            Project = repository.FullName,
            Repository = repository.FullName,
            Query = filter,
            Locator = locator,
            Period = period,
            Tickets = tickets,
            IncompleteReason = progress.StopReason,
        }, now, _logger, SourceName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The kind's filter: <c>labels=a,b</c> (all of them) and <c>type=...</c> when configured.</summary>
    private string Filter(TicketKind kind)
    {
        var filter = "labels=" + string.Join(',', _settings.Labels[kind].Select(Uri.EscapeDataString));
        return _settings.Types.TryGetValue(kind, out var type) ? $"{filter}&type={Uri.EscapeDataString(type)}" : filter;
    }

    private bool NeedsEvents(TicketKind kind) =>
        kind.NeedsApprovals || (kind == TicketKind.Incidents && _settings.NotifiedLabels.Count > 0);

    /// <summary>
    /// The open issues (whatever their age: an open item is live in the period) and the closed ones updated since the
    /// period began (<c>since</c>), pull requests left out. Two listings instead of <c>state=all&amp;since=</c>, which would
    /// miss an issue left open and untouched through the period.
    /// </summary>
    private async IAsyncEnumerable<(RestResponse Response, JsonObject Item)> IssuesAsync(RepositoryName repository, string filter, EvidencePeriod period, PagingProgress progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var since = period.From.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var listings = new[]
        {
            $"{repository.ApiPath}/issues?state=open&{filter}&sort=created&direction=asc&per_page=100",
            $"{repository.ApiPath}/issues?state=closed&{filter}&since={Uri.EscapeDataString(since)}&sort=created&direction=asc&per_page=100",
        };
        foreach (var listing in listings)
        {
            await foreach (var page in _client.GetPagesAsync(listing, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var item in TicketJson.Objects(page.ParseArray()))
                {
                    if (!GitHubIssueReader.IsPullRequest(item))
                    {
                        yield return (page, item);
                    }
                }
            }
        }
    }

    private async Task<IReadOnlyList<JsonObject>> EventsAsync(RepositoryName repository, long? number, PagingProgress progress, CancellationToken cancellationToken)
    {
        var events = new List<JsonObject>();
        if (number is null)
        {
            return events;
        }

        var path = $"{repository.ApiPath}/issues/{number.Value.ToString(CultureInfo.InvariantCulture)}/events?per_page=100";
        await foreach (var page in _client.GetPagesAsync(path, progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            events.AddRange(TicketJson.Objects(page.ParseArray()));
        }

        return events;
    }

    private Ticket Read(RestResponse response, RepositoryName repository, JsonObject issue, IReadOnlyList<JsonObject>? events)
    {
        try
        {
            return _reader.Read(repository, issue, events);
        }
        catch (FormatException ex)
        {
            throw SourceRequestException.Malformed(response.Method, response.Url, ex.Message, ex);
        }
    }

    /// <summary>GitHub's own explanation and permission headers, plus what to fix when the token itself is refused.</summary>
    private ProviderError DescribeError(HttpResponseMessage response, ReadOnlyMemory<byte> body)
    {
        var described = GitHubErrors.Describe(response, body);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => described with { MissingPermission = $"a valid token in {_settings.SettingsPath}:Token (set through Aims__Sources__GitHubIssues__Token; it may have expired or been revoked)" },
            HttpStatusCode.Forbidden when described.MissingPermission is null => described with { MissingPermission = "read access to the repository's issues (fine-grained token or GitHub App permission issues=read; classic token scope repo for private repositories)" },
            _ => described,
        };
    }
}
