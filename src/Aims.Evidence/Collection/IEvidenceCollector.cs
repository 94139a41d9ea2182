namespace Aims.Evidence.Collection;

/// <summary>
/// A collector for one source family. It plans jobs and, for one job, fetches facts and hands them to the sink.
/// Collectors never judge evidence (checks do that) and never throw for a single failed subject: they report
/// it through <see cref="IEvidenceSink.ReportErrorAsync"/> and go on with the rest.
/// </summary>
public interface IEvidenceCollector
{
    /// <summary>The configured source name this collector serves (<c>GitHub</c>, <c>Documents</c>).</summary>
    string Source { get; }

    /// <summary>The evidence kinds it can produce.</summary>
    IReadOnlyList<string> Kinds { get; }

    /// <summary>
    /// What every item names as its source: the family, the instance read (an API root, a tenant, a folder), the
    /// collector's name and the product version. The default names the source only; collectors say which instance.
    /// </summary>
    CollectorIdentity Identity => new(Source.ToLowerInvariant(), Source, Source.ToLowerInvariant(), ProductVersion.Current);

    /// <summary>Splits the run's work for this source into jobs (may call the source to enumerate subjects).</summary>
    IAsyncEnumerable<CollectionJob> PlanAsync(CollectionPlan plan, CancellationToken cancellationToken = default);

    /// <summary>Runs one job. Throws only when the whole job failed in a way a retry could fix.</summary>
    Task CollectAsync(CollectionJob job, IEvidenceSink sink, CancellationToken cancellationToken = default);
}

/// <summary>What a planner needs: the run id and the period.</summary>
public sealed record CollectionPlan(string RunId, Items.EvidencePeriod Period);
