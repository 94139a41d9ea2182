using System.Net.Http.Headers;
using Aims.Collectors.Http;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Store;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Ticketing;

/// <summary>Jobs of the ticketing collectors: one per source × kind (GitHub Issues adds a repository slice).</summary>
internal static class TicketJobs
{
    public const string KindParameter = "kind";

    /// <summary>
    /// True when a failure concerns what the job was reading (a refusal, bad data) and becomes a collector-error item. An
    /// outage of the whole source (<see cref="SourceOutage"/>) or of the store ends the job instead: a queue host delivers
    /// it again later, and no subject is blamed for it.
    /// </summary>
    public static bool BlamesTheSubject(Exception exception, CancellationToken cancellationToken) =>
        !cancellationToken.IsCancellationRequested && !SourceOutage.Is(exception) && exception is not StoreFailureException;
    public const string RepositoriesParameter = "repositories";

    /// <summary>The collectors' version, as every item's <c>source.collectorVersion</c> carries it.</summary>
    public static string Version => Aims.Evidence.ProductVersion.Current;

    /// <summary>
    /// The REST client a ticketing collector talks through: the host's HTTP handler, our User-Agent, the source's
    /// media type and headers, and the source's retry, rate-limit and error rules in <paramref name="options"/>.
    /// </summary>
    public static JsonRestClient Client(SourceContext context, Uri baseUrl, string accept, JsonRestClientOptions options, ILogger logger, params (string Name, string Value)[] headers)
    {
        var http = context.CreateHttpClient(baseUrl);
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("aims-evidence", Version));
        http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        foreach (var (name, value) in headers)
        {
            http.DefaultRequestHeaders.Add(name, value);
        }

        return new JsonRestClient(http, baseUrl, options, context.Time, logger);
    }

    /// <summary>What every ticketing collector's items name as their source: family, site, system, version.</summary>
    public static CollectorIdentity Identity(Uri baseUrl, string system) =>
        new("ticketing", baseUrl.AbsoluteUri.TrimEnd('/'), system, Version);

    /// <summary>Job ids are stable within a run: <c>jira:incidents</c>, <c>github-issues:incidents:0002</c>.</summary>
    public static CollectionJob Job(CollectionPlan plan, string source, string id, TicketKind kind, string? repositories = null)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal) { [KindParameter] = kind.Slug };
        if (repositories is not null)
        {
            parameters[RepositoriesParameter] = repositories;
        }

        return new CollectionJob(plan.RunId, id, source, plan.Period, parameters);
    }

    /// <summary>The job's kind. Throws <see cref="FormatException"/> for a message this collector did not plan.</summary>
    public static TicketKind KindOf(CollectionJob job, IReadOnlyList<TicketKind> enabled)
    {
        var slug = job.Parameter(KindParameter);
        var kind = TicketKind.All.FirstOrDefault(k => k.Slug == slug)
            ?? throw new FormatException($"Job {job.JobId}: parameter '{KindParameter}' must be one of {string.Join(", ", TicketKind.All.Select(k => k.Slug))}, not '{slug}'.");
        return enabled.Contains(kind)
            ? kind
            : throw new FormatException($"Job {job.JobId}: kind '{slug}' is not enabled for {job.Source} (see its Kinds setting).");
    }

    /// <summary>
    /// Our HTTP exceptions already name method, path and status; anything else gets its type for context. A 404 gets
    /// <paramref name="notFoundHint"/>: on a listing it usually means a wrong base URL, table or repository.
    /// </summary>
    public static string Describe(Exception ex, string? notFoundHint = null) => ex switch
    {
        Http.SourceNotFoundException when notFoundHint is not null => $"{ex.Message} {notFoundHint}",
        Http.SourceRequestException => ex.Message,
        _ => $"{ex.GetType().Name}: {ex.Message}",
    };
}
