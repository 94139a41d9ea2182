using System.Globalization;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using Aims.Collectors.Http;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.GitHub;

/// <summary>
/// Collects GitHub evidence over the REST API. Plans one job per <see cref="GitHubSettings.ReposPerJob"/> repositories
/// (plus one for the governance repository's policies); a job reads each repository in turn, and a failure on one
/// repository or one kind is recorded as a collector-error while the rest goes on.
/// </summary>
/// <remarks>
/// Within a repository the kinds are read concurrently, and the pull requests' details and reviews too, with at most
/// <see cref="GitHubSettings.RequestsInFlight"/> requests of the job on the wire: an unchanged re-run is one conditional
/// request after another (nearly all answered 304), so waiting for each before sending the next was most of its time.
/// Evidence is still recorded in the fixed order of the kinds, whatever order the answers come in.
/// </remarks>
public sealed class GitHubCollector : IEvidenceCollector
{
    public const string SourceName = "GitHub";
    public const string RepositoriesParameter = "repositories";
    public const string PlanErrorParameter = "planError";
    public const string PolicyRepositoryParameter = "policyRepository";
    public const string PolicyJobId = "github:policies";

    /// <summary>The job that records why the repositories in scope could not (all) be enumerated.</summary>
    public const string ScopeJobId = "github:scope";
    public const string ApiVersion = "2022-11-28";

    private readonly GitHubSettings _settings;
    private readonly ILogger _logger;
    private readonly JsonRestClient _client;
    private readonly IReadOnlyList<string> _readerKinds;

    public GitHubCollector(GitHubSettings settings, SourceContext context)
    {
        _settings = settings;
        _logger = context.Loggers.CreateLogger<GitHubCollector>();
        var http = context.CreateHttpClient(settings.BaseUrl);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("aims-evidence", Version));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.github+json"));
        http.DefaultRequestHeaders.Add("X-GitHub-Api-Version", ApiVersion);

        IGitHubCredential credential = settings.App is { } app
            ? new GitHubAppCredential(app, http, settings.BaseUrl, context.Time, _logger, settings.MaxRateLimitWait)
            : new GitHubTokenCredential(settings.Token!);
        _client = new JsonRestClient(http, settings.BaseUrl, new JsonRestClientOptions
        {
            Source = SourceName,
            Cache = context.ResponseCache,
            RateLimit = new GitHubRateLimitPolicy(),
            DescribeError = GitHubErrors.Describe,
            MaxRateLimitWait = settings.MaxRateLimitWait,
            Authorize = async (message, ct) => message.Headers.Authorization = await credential.GetAuthorizationAsync(ct).ConfigureAwait(false),
        }, context.Time, _logger);

        _readerKinds = Readers(_client).Select(r => r.Kind).ToArray();
        Identity = new CollectorIdentity("github", settings.BaseUrl.AbsoluteUri.TrimEnd('/'), "github", Version);
        Kinds = [EvidenceKinds.GitHubRepository, .. _readerKinds, .. settings.GovernanceRepository is null ? Array.Empty<string>() : [PolicyReviewReader.KindName]];
    }

    /// <summary>The readers of a repository's kinds, in the order their evidence is recorded, over one job's client.</summary>
    private List<IRepositoryEvidenceReader> Readers(JsonRestClient client)
    {
        var readers = new List<IRepositoryEvidenceReader>
        {
            new BranchProtectionReader(client),
            new PullRequestReader(client, _settings.RequestsInFlight),
            new CodeOwnersReader(client),
            new SecurityPolicyReader(client),
        };
        if (_settings.EvaluationWorkflows.Count > 0)
        {
            readers.Add(new WorkflowRunReader(client, _settings.EvaluationWorkflows));
        }

        readers.Add(new ReleaseReader(client));
        readers.Add(new EnvironmentReader(client));
        readers.Add(new SecurityAlertReader(client));
        return readers;
    }

    /// <summary>The collector's version, as the User-Agent and every item's <c>source.collectorVersion</c> carry it.</summary>
    public static string Version => ProductVersion.Current;

    public string Source => SourceName;

    public IReadOnlyList<string> Kinds { get; }

    /// <summary>What the host passes to <see cref="EvidenceRecorder"/> for this collector's jobs.</summary>
    public CollectorIdentity Identity { get; }

    public async IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        List<string>? repositories = null;
        string? error = null;
        if (_settings.Organization is not null || _settings.Repositories.Count > 0)
        {
            try
            {
                var progress = new PagingProgress();
                repositories = await RepositoriesInScopeAsync(progress, cancellationToken).ConfigureAwait(false);

                // The repositories found are still collected; the error says the scope may be missing some.
                if (progress.StopReason is { } reason)
                {
                    error = $"the repository listing is incomplete: {reason}";
                    GitHubLog.PlanFailed(_logger, error);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !SourceOutage.Is(ex))
            {
                error = Describe(ex);
                GitHubLog.PlanFailed(_logger, error);
            }
        }

        if (error is not null)
        {
            yield return Job(plan, ScopeJobId, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [RepositoriesParameter] = "",
                [PlanErrorParameter] = error,
            });
        }

        if (repositories is not null)
        {
            var slices = repositories.Chunk(_settings.ReposPerJob).ToList();
            GitHubLog.Planned(_logger, repositories.Count, slices.Count);
            for (var i = 0; i < slices.Count; i++)
            {
                yield return Job(plan, $"github:{(i + 1).ToString("D4", CultureInfo.InvariantCulture)}", new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    [RepositoriesParameter] = string.Join(',', slices[i]),
                });
            }
        }

        if (_settings.GovernanceRepository is { } governance)
        {
            yield return Job(plan, PolicyJobId, new Dictionary<string, string>(StringComparer.Ordinal)
            {
                [PolicyRepositoryParameter] = governance.FullName,
            });
        }
    }

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        if (job.Parameter(PlanErrorParameter) is { Length: > 0 } planError)
        {
            var locator = _settings.Organization is not null ? $"/orgs/{_settings.Organization}/repos" : "/repos";
            await sink.ReportErrorAsync(new Subject("source", "github", SourceName), EvidenceKinds.GitHubRepository, locator,
                $"could not enumerate the repositories in scope: {planError}", cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        // The job's own bound on requests in flight; rate-limit pauses stay shared with every other job of the credential.
        var client = _client.WithMaxInFlight(_settings.RequestsInFlight);
        var readers = Readers(client);
        foreach (var text in (job.Parameter(RepositoriesParameter) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var repository = RepositoryName.TryParse(text, out var name)
                ? name
                : throw new FormatException($"Job {job.JobId}: '{text}' in parameter '{RepositoriesParameter}' is not a repository as owner/name.");
            await CollectRepositoryAsync(client, readers, repository, job.Period, sink, cancellationToken).ConfigureAwait(false);
        }

        if (job.Parameter(PolicyRepositoryParameter) is { Length: > 0 } policyText && _settings.GovernanceRepository is not null)
        {
            var repository = RepositoryName.TryParse(policyText, out var name)
                ? name
                : throw new FormatException($"Job {job.JobId}: '{policyText}' in parameter '{PolicyRepositoryParameter}' is not a repository as owner/name.");
            await CollectPoliciesAsync(client, repository, job.Period, sink, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CollectRepositoryAsync(
        JsonRestClient client, IReadOnlyList<IRepositoryEvidenceReader> readers, RepositoryName repository, EvidencePeriod period, IEvidenceSink sink, CancellationToken cancellationToken)
    {
        var subject = SubjectOf(repository);
        RepositoryScope scope;
        try
        {
            var response = await client.GetAsync(repository.ApiPath, cancellationToken).ConfigureAwait(false);
            var observation = RepositoryFacts.Observe(repository, response, response.ParseObject());
            await EmitAsync(sink, subject, observation, cancellationToken).ConfigureAwait(false);
            scope = new RepositoryScope(repository, observation.Facts["defaultBranch"]?.GetValue<string>() ?? "main", period);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !SourceOutage.Is(ex))
        {
            // Without the repository nothing else about it can be read: every kind it would have produced fails.
            var message = Describe(ex);
            GitHubLog.RepositoryFailed(_logger, repository.FullName, message);
            foreach (var kind in new[] { EvidenceKinds.GitHubRepository }.Concat(_readerKinds))
            {
                await sink.ReportErrorAsync(subject, kind, "/" + repository.ApiPath, message, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        // Every kind is read at once (the job's client bounds the requests in flight) and all are finished before anything
        // is recorded or thrown, so no read outlives the repository; the results are recorded in the readers' order. A
        // source outage ends the job where reading one kind after another would have: the kinds before it are recorded,
        // the failing one and those after it are not.
        var reads = readers.Select(reader => ReadAsync(reader, scope, cancellationToken)).ToArray();
        await Task.WhenAll(reads.Select(r => r.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default))).ConfigureAwait(false);
        for (var i = 0; i < readers.Count; i++)
        {
            await RecordAsync(readers[i], scope, subject, await reads[i].ConfigureAwait(false), sink, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task CollectPoliciesAsync(JsonRestClient client, RepositoryName repository, EvidencePeriod period, IEvidenceSink sink, CancellationToken cancellationToken)
    {
        var subject = SubjectOf(repository);
        var reader = new PolicyReviewReader(client, _settings.PolicyPaths);
        RepositoryScope scope;
        try
        {
            var info = (await client.GetAsync(repository.ApiPath, cancellationToken).ConfigureAwait(false)).ParseObject();
            scope = new RepositoryScope(repository, GitHubJson.String(info, "default_branch") ?? "main", period);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !SourceOutage.Is(ex))
        {
            var message = Describe(ex);
            GitHubLog.RepositoryFailed(_logger, repository.FullName, message);
            await sink.ReportErrorAsync(subject, reader.Kind, "/" + repository.ApiPath, message, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        await RecordAsync(reader, scope, subject, await ReadAsync(reader, scope, cancellationToken).ConfigureAwait(false), sink, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads one kind: its observation, or why it failed. Cancellation and source outages are thrown.</summary>
    private async Task<(GitHubObservation? Observation, string? Error)> ReadAsync(IRepositoryEvidenceReader reader, RepositoryScope scope, CancellationToken cancellationToken)
    {
        try
        {
            return (await reader.ReadAsync(scope, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && !SourceOutage.Is(ex))
        {
            var message = Describe(ex);
            GitHubLog.KindFailed(_logger, reader.Kind, scope.Repository.FullName, message);
            return (null, message);
        }
    }

    private static Task RecordAsync(
        IRepositoryEvidenceReader reader, RepositoryScope scope, Subject subject, (GitHubObservation? Observation, string? Error) read, IEvidenceSink sink, CancellationToken cancellationToken) =>
        read.Observation is { } observation
            ? EmitAsync(sink, subject, observation, cancellationToken)
            : sink.ReportErrorAsync(subject, reader.Kind, reader.Locator(scope), read.Error!, cancellationToken: cancellationToken);

    private static Task EmitAsync(IEvidenceSink sink, Subject subject, GitHubObservation observation, CancellationToken cancellationToken)
    {
        var draft = new EvidenceDraft
        {
            Kind = observation.Kind,
            Subject = subject,
            Locator = observation.Locator,
            Summary = observation.Summary,
            Facts = observation.Facts,
            Period = observation.Period,
            EvidenceDate = observation.EvidenceDate,
        };
        return observation switch
        {
            { RawBytes: { } bytes } => sink.EmitWithRawAsync(draft, bytes, cancellationToken),
            { Raw: { } node } => sink.EmitWithRawAsync(draft, node, cancellationToken),
            _ => sink.EmitAsync(draft, cancellationToken),
        };
    }

    /// <summary>The repositories in scope, sorted so job slices (and ids) are stable for the same list.</summary>
    private async Task<List<string>> RepositoriesInScopeAsync(PagingProgress progress, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        if (_settings.Organization is { } organization)
        {
            await foreach (var page in _client.GetPagesAsync($"orgs/{organization}/repos?type=all&per_page=100", progress: progress, cancellationToken: cancellationToken).ConfigureAwait(false))
            {
                foreach (var repository in GitHubJson.Objects(page.ParseArray()))
                {
                    var topics = GitHubJson.Array(repository, "topics")?.OfType<System.Text.Json.Nodes.JsonValue>()
                        .Select(t => t.TryGetValue<string>(out var s) ? s : null) ?? [];
                    if (topics.Any(t => string.Equals(t, _settings.Topic, StringComparison.OrdinalIgnoreCase))
                        && RepositoryName.TryParse(GitHubJson.String(repository, "full_name"), out var name))
                    {
                        names.Add(name.FullName);
                    }
                }
            }
        }
        else
        {
            names.AddRange(_settings.Repositories.Select(r => r.FullName));
        }

        return names
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.OrdinalIgnoreCase)
            .ThenBy(n => n, StringComparer.Ordinal)
            .ToList();
    }

    private static CollectionJob Job(CollectionPlan plan, string id, Dictionary<string, string> parameters) =>
        new(plan.RunId, id, SourceName, plan.Period, parameters);

    private static Subject SubjectOf(RepositoryName repository) => new("repository", repository.FullName, repository.FullName);

    // Our HTTP exceptions already name method, path and status; anything else gets its type for context.
    private static string Describe(Exception ex) => ex is SourceRequestException ? ex.Message : $"{ex.GetType().Name}: {ex.Message}";
}
