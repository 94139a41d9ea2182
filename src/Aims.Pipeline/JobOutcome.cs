using Aims.Evidence.Collection;

namespace Aims.Pipeline;

/// <summary>What one collection job did.</summary>
public sealed record JobOutcome(CollectionJob Job, int Created, int AlreadyStored, int Errors, string? Failure = null);

/// <summary>Progress of a whole collection, for progress bars.</summary>
public sealed record CollectionProgress(int JobsPlanned, int JobsDone, int ItemsCreated, int Errors, string? Current);

/// <summary>What a whole collection did.</summary>
public sealed record CollectionSummary(string RunId, IReadOnlyList<JobOutcome> Jobs)
{
    public int Created => Jobs.Sum(j => j.Created);

    public int AlreadyStored => Jobs.Sum(j => j.AlreadyStored);

    public int Errors => Jobs.Sum(j => j.Errors);
}
