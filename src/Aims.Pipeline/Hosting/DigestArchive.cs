using System.Globalization;
using Aims.Evidence.Gaps;
using Aims.Evidence.Store;
using Aims.Reporting.Digest;

namespace Aims.Pipeline.Hosting;

/// <summary>
/// Where both shells keep the digest in the store: <c>reports/digests/{yyyy-MM-dd}.{json,md,html}</c> for the day of
/// the analysis and <c>reports/digests/latest.*</c> for the newest, so a link to "latest" never goes stale. Each
/// digest first advances the digest history (what changed since the previous one).
/// </summary>
public sealed class DigestArchive(IEvidenceStore store, TimeProvider time)
{
    public const string Folder = "digests";

    public static string DatedName(DateTimeOffset asOf) => $"{Folder}/{asOf.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static string LatestName => $"{Folder}/latest";

    /// <summary>Advances the history only (a digest written elsewhere, e.g. <c>aims digest --out</c>).</summary>
    public Task<DigestView> AdvanceAsync(GapReport report, CancellationToken cancellationToken = default) =>
        // The history records when the digest was really made, whatever analysis date (--as-of) was asked for.
        DigestHistory.AdvanceAsync(store, report, time.GetUtcNow(), cancellationToken);

    /// <summary>Advances the history and stores the dated and the latest digest; returns the view (to render elsewhere too).</summary>
    public async Task<DigestView> PublishAsync(GapReport report, CancellationToken cancellationToken = default)
    {
        var view = await AdvanceAsync(report, cancellationToken).ConfigureAwait(false);

        // Stored digests link no item files: readers of the store have no path relative to them.
        var stored = view with { EvidenceLink = _ => null };
        await DigestWriter.PublishAsync(stored, store, DatedName(report.AsOf), cancellationToken).ConfigureAwait(false);
        await DigestWriter.PublishAsync(stored, store, LatestName, cancellationToken).ConfigureAwait(false);
        return view;
    }
}
