namespace Aims.Functions.Hosting;

/// <summary>The queues and the table the app uses (fixed names: infra/ creates them, the triggers name them).</summary>
public static class QueueNames
{
    /// <summary>One message per collection job (ScheduleCollection → CollectEvidence).</summary>
    public const string CollectJobs = "collect-jobs";

    /// <summary>Where the host moves a job after <c>maxDequeueCount</c> failed deliveries (→ ProcessPoison).</summary>
    public const string CollectJobsPoison = "collect-jobs-poison";

    /// <summary>One message per run ready for analysis (the job completing a run, or CheckRuns → AnalyzeGaps).</summary>
    public const string AnalyzeRuns = "analyze-runs";

    /// <summary>One message per requested bundle (POST /api/bundles → BuildBundle).</summary>
    public const string BundleBuilds = "bundle-builds";

    /// <summary>The table of runs and their jobs (fan-in).</summary>
    public const string RunsTable = "aimsruns";
}
