using Aims.Evidence;
using Aims.Evidence.Gaps;
using Aims.Evidence.Store;
using Aims.Reporting.Bundle;

namespace Aims.Pipeline.Hosting;

/// <summary>Builds auditor bundles the same way in both shells: the analysis as of the request, the product version, the pipeline's clock.</summary>
public sealed class BundleBuilder(EvidencePipeline pipeline, IEvidenceStore store)
{
    /// <summary>The bundle request for a period over an analysis already made.</summary>
    public BundleRequest Request(GapReport report, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? controls, string? aiSystem) =>
        new(from, to, report, ProductVersion.Current, controls, aiSystem)
        {
            Signer = pipeline.Checkpoints?.Signer,
            Requirements = pipeline.Requirements,
        };

    /// <summary>Analyses as of <paramref name="asOf"/> (for one AI system, or all) and returns the bundle request for the period.</summary>
    public async Task<BundleRequest> PrepareAsync(DateTimeOffset asOf, DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? controls, string? aiSystem, CancellationToken cancellationToken = default)
    {
        var report = await pipeline.AnalyzeAsync(asOf, aiSystem, cancellationToken).ConfigureAwait(false);
        return Request(report, from, to, controls, aiSystem);
    }

    public Task<BundleResult> WriteAsync(BundleRequest request, Stream output, CancellationToken cancellationToken = default) =>
        new BundleWriter(store, pipeline.Time).WriteAsync(request, output, cancellationToken: cancellationToken);

    public Task<BundleResult> WriteFileAsync(BundleRequest request, string path, IProgress<BundleProgress>? progress = null, CancellationToken cancellationToken = default) =>
        new BundleWriter(store, pipeline.Time).WriteFileAsync(request, path, progress, cancellationToken);
}
