using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Aims.Collectors.Http;
using Aims.Collectors.Sources;
using Aims.Evidence.Collection;
using Aims.Evidence.Items;
using Microsoft.Extensions.Logging;

namespace Aims.Collectors.Ticketing.ServiceNow;

/// <summary>
/// Collects ticket populations from ServiceNow's Table API: one job per kind reads its table with the configured
/// encoded query and the period (offset paging), joins the approvals from <c>sysapproval_approver</c> for the kinds
/// about approvals, and emits one item per table (or per assignment group).
/// </summary>
public sealed class ServiceNowCollector : IEvidenceCollector
{
    public const string SourceName = "ServiceNow";
    public const string SystemId = "servicenow";

    private readonly ServiceNowSettings _settings;
    private readonly JsonRestClient _client;
    private readonly ServiceNowRecordReader _reader;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    public ServiceNowCollector(ServiceNowSettings settings, SourceContext context)
    {
        _settings = settings;
        _time = context.Time;
        _logger = context.Loggers.CreateLogger<ServiceNowCollector>();
        _reader = new ServiceNowRecordReader(settings);
        _client = TicketJobs.Client(context, settings.BaseUrl, "application/json", new JsonRestClientOptions
        {
            Source = SourceName,
            MaxRateLimitWait = settings.MaxRateLimitWait,
            DescribeError = ServiceNowErrors.For(settings),
            Authorize = settings.Credential.AuthorizeAsync,
        }, _logger);
        Identity = TicketJobs.Identity(settings.BaseUrl, "servicenow");
        Kinds = settings.Kinds.Select(k => k.EvidenceKind).ToList();
    }

    public string Source => SourceName;

    public IReadOnlyList<string> Kinds { get; }

    public CollectorIdentity Identity { get; }

    public IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, CancellationToken cancellationToken = default) =>
        _settings.Kinds.Select(kind => TicketJobs.Job(plan, SourceName, $"{SystemId}:{kind.Slug}", kind)).ToAsyncEnumerable();

    public async Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default)
    {
        var kind = TicketJobs.KindOf(job, _settings.Kinds);
        var table = _settings.Tables[kind];
        var query = ServiceNowQuery.Build(_settings.Queries.GetValueOrDefault(kind), job.Period);
        var locator = $"{_client.Resolve(TablePath(table)).AbsolutePath}?sysparm_query={query}";
        var progress = new PagingProgress();
        var tickets = new List<(string SysId, Ticket Ticket)>();
        try
        {
            await foreach (var page in Pages(table, query, _reader.Fields, progress, cancellationToken).ConfigureAwait(false))
            {
                foreach (var record in page.Records)
                {
                    var ticket = Read(page.Response, table, record);
                    if (ticket.InPeriod(job.Period))
                    {
                        tickets.Add((ServiceNowRecordReader.SysId(record)!, ticket));
                    }
                }
            }

            if (kind.NeedsApprovals && tickets.Count > 0)
            {
                tickets = await WithApprovalsAsync(tickets, progress, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (TicketJobs.BlamesTheSubject(ex, cancellationToken))
        {
            var error = TicketJobs.Describe(ex, $"Check {_settings.SettingsPath}:BaseUrl (the instance root) and the table name {table}.");
            var subject = Subject(kind, table, null);
            TicketingLog.Failed(_logger, SourceName, kind.Slug, subject.Id, error);
            await TicketEvidence.ReportErrorAsync(sink, kind, subject, locator, error, table, cancellationToken: cancellationToken).ConfigureAwait(false);
            return;
        }

        var groups = tickets
            .Select(t => t.Ticket)
            .GroupBy(t => t.Project, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.OrdinalIgnoreCase);
        if (groups.Count == 0)
        {
            groups[table] = [];
        }

        var now = _time.GetUtcNow();
        foreach (var (project, list) in groups.OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var subject = Subject(kind, table, project == table ? null : project);
            var population = new TicketPopulation
            {
                System = SystemId,
                Kind = kind,
                SubjectId = subject.Id,
                DisplayName = subject.DisplayName,
                Project = project,
                Query = $"{table}: {query}",
                Locator = locator,
                Period = job.Period,
                Tickets = list,
                IncompleteReason = progress.StopReason,
            };
            await TicketEvidence.EmitLoggedAsync(sink, population, now, _logger, SourceName, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary><c>servicenow/incident/incidents</c>, or <c>servicenow/incident/{group}/incidents</c> per assignment group.</summary>
    private static Subject Subject(TicketKind kind, string table, string? group) => group is null
        ? new("ticket-query", $"{SystemId}/{table}/{kind.Slug}", $"ServiceNow {table} {kind.Noun}")
        : new("ticket-query", $"{SystemId}/{table}/{group}/{kind.Slug}", $"ServiceNow {table} {kind.Noun} of {group}");

    private static string TablePath(string table) => $"api/now/table/{table}";

    /// <summary>
    /// The pages of a table listing. Some instances answer a page past the end with 404 "No Record found" instead of an
    /// empty result; that ends the listing rather than failing it.
    /// </summary>
    private async IAsyncEnumerable<TablePage> Pages(string table, string query, string fields, PagingProgress progress, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var limit = _settings.PageSize;
        var prefix = $"{TablePath(table)}?sysparm_query={Uri.EscapeDataString(query)}&sysparm_fields={Uri.EscapeDataString(fields)}"
            + $"&sysparm_display_value=false&sysparm_exclude_reference_link=true&sysparm_limit={limit.ToString(CultureInfo.InvariantCulture)}";
        var pages = _client.GetOffsetPagesAsync(
            offset => $"{prefix}&sysparm_offset={offset.ToString(CultureInfo.InvariantCulture)}",
            limit,
            ReadPage,
            p => new OffsetPageInfo(p.Records.Count, p.Records.Count > 0 ? ServiceNowRecordReader.SysId(p.Records[0]) : null),
            progress,
            _logger,
            cancellationToken: cancellationToken);
        await using var enumerator = pages.GetAsyncEnumerator(cancellationToken);
        while (true)
        {
            bool more;
            try
            {
                more = await enumerator.MoveNextAsync().ConfigureAwait(false);
            }
            catch (SourceNotFoundException ex) when (ServiceNowErrors.IsNoRecords(ex))
            {
                more = false;
            }

            if (!more)
            {
                yield break;
            }

            yield return enumerator.Current;
        }
    }

    private static TablePage ReadPage(RestResponse response)
    {
        var o = response.ParseObject();
        var result = o["result"] as JsonArray ?? throw SourceRequestException.Malformed(response.Method, response.Url, "expected an array 'result'.");
        return new TablePage(response, TicketJson.Objects(result).ToList());
    }

    private Ticket Read(RestResponse response, string table, JsonObject record)
    {
        try
        {
            return _reader.Read(table, record);
        }
        catch (FormatException ex)
        {
            throw SourceRequestException.Malformed(response.Method, response.Url, ex.Message, ex);
        }
    }

    /// <summary>
    /// Joins each ticket's approvals from <c>sysapproval_approver</c>, asking for <see cref="ServiceNowSettings.ApprovalBatchSize"/>
    /// tickets at a time (<c>sysapprovalIN id1,id2,...</c>), each batch offset-paged like any table.
    /// </summary>
    private async Task<List<(string SysId, Ticket Ticket)>> WithApprovalsAsync(List<(string SysId, Ticket Ticket)> tickets, PagingProgress progress, CancellationToken cancellationToken)
    {
        var approvals = new Dictionary<string, List<TicketApproval>>(StringComparer.Ordinal);
        foreach (var batch in tickets.Select(t => t.SysId).Distinct(StringComparer.Ordinal).Chunk(_settings.ApprovalBatchSize))
        {
            var query = $"sysapprovalIN{string.Join(',', batch)}^ORDERBYsys_created_on^ORDERBYsys_id";
            await foreach (var page in Pages(ServiceNowRecordReader.ApprovalTable, query, ServiceNowRecordReader.ApprovalFields, progress, cancellationToken).ConfigureAwait(false))
            {
                foreach (var record in page.Records)
                {
                    if (ServiceNowRecordReader.ReadApproval(record) is { } approval)
                    {
                        (approvals.TryGetValue(approval.Ticket, out var list) ? list : approvals[approval.Ticket] = []).Add(approval.Approval);
                    }
                }
            }
        }

        return tickets
            .Select(t => (t.SysId, t.Ticket with
            {
                Approvals = approvals.TryGetValue(t.SysId, out var list) ? list.OrderBy(a => a.At).ToList() : [],
            }))
            .ToList();
    }

    private sealed record TablePage(RestResponse Response, IReadOnlyList<JsonObject> Records);
}
