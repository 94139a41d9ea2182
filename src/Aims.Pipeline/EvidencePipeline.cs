using System.Globalization;
using System.Runtime.CompilerServices;
using Aims.Collectors.Sources;
using Aims.Evidence;
using Aims.Evidence.Checks;
using Aims.Evidence.Collection;
using Aims.Evidence.Gaps;
using Aims.Evidence.Inventory;
using Aims.Evidence.Items;
using Aims.Evidence.Requirements;
using Aims.Evidence.Store;
using Aims.Reporting.Signing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace Aims.Pipeline;

/// <summary>
/// The job the product does, shared by the CLI and the Functions app: plan collection jobs, run one job,
/// analyse gaps. Building it validates the whole configuration (requirements, every configured source),
/// so bad settings fail before anything is written.
/// </summary>
public sealed partial class EvidencePipeline
{
    /// <summary>The product version items and bundles record (from the build, not a constant).</summary>
    public static string CollectorVersion => ProductVersion.Current;

    private readonly IConfiguration _configuration;
    private readonly SourceContext _context;
    private readonly ILogger _logger;
    private readonly Dictionary<string, (IEvidenceSource Source, IEvidenceCollector Collector)> _collectors;
    private readonly List<IEvidenceSource> _extraSources = [];

    public EvidencePipeline(
        IConfiguration configuration,
        AimsSettings settings,
        IEvidenceStore store,
        SourceRegistry sources,
        SourceContext context,
        CheckRegistry? checks = null,
        IAiSystemAttribution? attribution = null)
    {
        _configuration = configuration;
        Settings = settings;
        Store = store;
        Sources = sources;
        _context = context;
        Checks = checks ?? CheckRegistry.Default;
        _logger = context.Loggers.CreateLogger<EvidencePipeline>();
        Requirements = RequirementSet.Load(settings.RequirementsPath, Checks);
        Inventory = settings.InventoryPath is null ? AiInventory.Empty : AiInventory.Load(settings.InventoryPath, Requirements);
        Attribution = attribution ?? (Inventory.Systems.Count > 0 ? new FootprintAttribution(Inventory) : NoAttribution.Instance);
        _collectors = new Dictionary<string, (IEvidenceSource, IEvidenceCollector)>(StringComparer.OrdinalIgnoreCase);
        foreach (var source in sources.All)
        {
            var section = SourceSection(source);
            if (source.Describe(section).Configured)
            {
                _collectors[source.Name] = (source, source.Create(section, context));
            }
        }

        var inventorySource = new InventorySource(Inventory);
        _extraSources.Add(inventorySource);
        if (Inventory.File is not null)
        {
            _collectors[inventorySource.Name] = (inventorySource, new InventoryCollector(Inventory));
        }

        foreach (var configured in configuration.GetSection($"{AimsSettings.SectionName}:Sources").GetChildren())
        {
            if (sources.Find(configured.Key) is null)
            {
                throw new InvalidSettingException(configured.Path, $"unknown source '{configured.Key}' (known: {string.Join(", ", sources.All.Select(s => s.Name))}).");
            }
        }
    }

    public AimsSettings Settings { get; }

    public IEvidenceStore Store { get; }

    public SourceRegistry Sources { get; }

    public RequirementSet Requirements { get; }

    public CheckRegistry Checks { get; }

    public IAiSystemAttribution Attribution { get; }

    /// <summary>The AI system inventory (empty when none is configured).</summary>
    public AiInventory Inventory { get; }

    public TimeProvider Time => _context.Time;

    /// <summary>Signs every ledger segment head at the end of each job and run; null when no signing key is configured.</summary>
    public LedgerCheckpointWriter? Checkpoints { get; init; }

    /// <summary>The configured collectors by source name.</summary>
    public IReadOnlyCollection<string> ConfiguredSources => _collectors.Keys;

    /// <summary>A run id derived from the run's start time, so re-running the same scheduled tick reuses it.</summary>
    public static string RunIdFor(DateTimeOffset at) => "run-" + at.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    public IReadOnlyList<SourceState> DescribeSources() =>
        Sources.All.Concat(_extraSources).Select(s => s.Describe(SourceSection(s))).ToList();

    /// <summary>Plans the jobs of every configured source (or one). A source whose planning fails yields a job that records the failure.</summary>
    public async IAsyncEnumerable<CollectionJob> PlanAsync(string runId, DateTimeOffset asOf, string? onlySource = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var plan = new CollectionPlan(runId, Settings.PeriodFor(asOf));
        foreach (var (name, (_, collector)) in _collectors.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            if (onlySource is not null && !string.Equals(onlySource, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var jobs = new List<CollectionJob>();
            string? failure = null;
            try
            {
                await foreach (var job in collector.PlanAsync(plan, cancellationToken).ConfigureAwait(false))
                {
                    jobs.Add(job);
                }
            }
            catch (Exception ex) when (ex is not (OperationCanceledException or StoreFailureException))
            {
                failure = ex.Message;
                LogPlanFailed(_logger, name, ex.Message);
            }

            if (failure is not null)
            {
                jobs = [new CollectionJob(runId, $"{name.ToLowerInvariant()}:plan", name, plan.Period, new Dictionary<string, string> { [PlanFailureParameter] = failure })];
            }

            foreach (var job in jobs)
            {
                yield return job;
            }
        }
    }

    private const string PlanFailureParameter = "pipelinePlanFailure";

    /// <summary>
    /// Runs one job. When <paramref name="recordFailure"/> is true a job that throws is recorded as <c>collector-error</c>
    /// evidence for every kind of its source and the outcome says so; otherwise the exception propagates (so a queue
    /// host can retry the message).
    /// </summary>
    public async Task<JobOutcome> RunJobAsync(CollectionJob job, bool recordFailure = true, CancellationToken cancellationToken = default)
    {
        if (!_collectors.TryGetValue(job.Source, out var entry))
        {
            var recorder = RecorderFor(job, new CollectorIdentity(job.Source.ToLowerInvariant(), job.Source, job.Source.ToLowerInvariant(), CollectorVersion));
            await recorder.ReportErrorAsync(new Subject("source", job.Source.ToLowerInvariant(), job.Source), EvidenceKinds.CollectorError, job.JobId,
                $"source '{job.Source}' is not configured here (Aims:Sources:{job.Source})", cancellationToken: cancellationToken).ConfigureAwait(false);
            return new JobOutcome(job, recorder.Created, recorder.AlreadyStored, recorder.Errors, "source not configured");
        }

        var identity = entry.Collector.Identity;

        // The job's items go to the store in batches; the last is flushed before the job counts as done (and so before
        // any checkpoint signs the ledger heads). A job that dies unflushed is redelivered and writes them again.
        var sink = new EvidenceRecorder(Store, job, identity, Requirements, _context.Time, Attribution, EvidenceRecorder.JobBatchSize);
        if (job.Parameter(PlanFailureParameter) is { } planFailure)
        {
            await RecordSourceFailureAsync(sink, entry, job, $"planning failed: {planFailure}", cancellationToken).ConfigureAwait(false);
            await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
            return new JobOutcome(job, sink.Created, sink.AlreadyStored, sink.Errors, planFailure);
        }

        string? failure = null;
        try
        {
            await entry.Collector.CollectAsync(job, sink, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (recordFailure && ex is not (OperationCanceledException or StoreFailureException))
        {
            failure = ex.Message;
            LogJobFailed(_logger, job.JobId, ex.Message);
            await RecordSourceFailureAsync(sink, entry, job, ex.Message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!recordFailure && ex is not (OperationCanceledException or StoreFailureException))
        {
            // A host that retries the message still keeps what the job observed before it failed.
            await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
            throw;
        }

        await sink.FlushAsync(cancellationToken).ConfigureAwait(false);
        return new JobOutcome(job, sink.Created, sink.AlreadyStored, sink.Errors, failure);
    }

    /// <summary>Records a permanent job failure (e.g. a poison message) as collector-error evidence for every kind of its source.</summary>
    public async Task RecordJobFailureAsync(CollectionJob job, string error, CancellationToken cancellationToken = default)
    {
        if (!_collectors.TryGetValue(job.Source, out var entry))
        {
            await RunJobAsync(job, recordFailure: true, cancellationToken).ConfigureAwait(false);
            return;
        }

        await RecordSourceFailureAsync(RecorderFor(job, entry.Collector.Identity), entry, job, error, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Plans and runs every job with bounded parallelism; one failed job never stops the others.</summary>
    public async Task<CollectionSummary> CollectAsync(DateTimeOffset asOf, string? onlySource = null, IProgress<CollectionProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var runId = RunIdFor(asOf);
        var jobs = new List<CollectionJob>();
        await foreach (var job in PlanAsync(runId, asOf, onlySource, cancellationToken).ConfigureAwait(false))
        {
            jobs.Add(job);
        }

        var outcomes = new JobOutcome[jobs.Count];
        int done = 0, created = 0, errors = 0;
        progress?.Report(new CollectionProgress(jobs.Count, 0, 0, 0, null));
        await Parallel.ForEachAsync(Enumerable.Range(0, jobs.Count), new ParallelOptions { MaxDegreeOfParallelism = Settings.Parallelism, CancellationToken = cancellationToken }, async (i, ct) =>
        {
            var outcome = await RunJobAsync(jobs[i], recordFailure: true, ct).ConfigureAwait(false);
            outcomes[i] = outcome;
            Interlocked.Add(ref created, outcome.Created);
            Interlocked.Add(ref errors, outcome.Errors);
            progress?.Report(new CollectionProgress(jobs.Count, Interlocked.Increment(ref done), Volatile.Read(ref created), Volatile.Read(ref errors), jobs[i].JobId));
        }).ConfigureAwait(false);
        return new CollectionSummary(runId, outcomes);
    }

    /// <summary>Writes signed checkpoints of every ledger segment head (nothing when no signing key is configured).</summary>
    public async Task<int> CheckpointLedgerAsync(CancellationToken cancellationToken = default) =>
        Checkpoints is null ? 0 : (await Checkpoints.WriteAsync(cancellationToken).ConfigureAwait(false)).Count;

    public Task<GapReport> AnalyzeAsync(DateTimeOffset asOf, string? aiSystem = null, CancellationToken cancellationToken = default) =>
        new GapAnalyzer(Store, Requirements, Checks).AnalyzeAsync(
            new GapAnalysisOptions(Settings.Organization, asOf, Settings.Calendar, DescribeSources(), aiSystem, Inventory.Systems.Count > 0 ? Inventory : null), cancellationToken);

    /// <summary>A recorder for evidence a host writes itself (e.g. a dropped queue message), with the pipeline's requirements, clock and AI-system attribution.</summary>
    public EvidenceRecorder RecorderFor(CollectionJob job, CollectorIdentity identity) =>
        new(Store, job, identity, Requirements, _context.Time, Attribution);

    private async Task RecordSourceFailureAsync(EvidenceRecorder sink, (IEvidenceSource Source, IEvidenceCollector Collector) entry, CollectionJob job, string error, CancellationToken cancellationToken)
    {
        var subject = new Subject("source", entry.Source.Family, entry.Source.Name);
        foreach (var kind in entry.Collector.Kinds)
        {
            await sink.ReportErrorAsync(subject, kind, job.JobId, error, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    private IConfigurationSection SourceSection(IEvidenceSource source) =>
        _configuration.GetSection($"{AimsSettings.SectionName}:Sources:{source.Name}");

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Planning for source {Source} failed: {Reason}")]
    private static partial void LogPlanFailed(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Error, Message = "Collection job {JobId} failed: {Reason}")]
    private static partial void LogJobFailed(ILogger logger, string jobId, string reason);
}
