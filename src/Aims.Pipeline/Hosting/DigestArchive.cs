using System.Globalization;
using Aims.Evidence.Gaps;
using Aims.Evidence.Store;
using Aims.Reporting.Digest;

namespace Aims.Pipeline.Hosting;

/// <summary>
/// Where both shells keep the digest in the store: <c>reports/digests/{yyyy-MM-dd}.{json,md,html}</c> for the day of
/// the analysis and <c>reports/digests/latest.*</c> for the newest, so a link to "latest" never goes stale.
/// </summary>
public sealed class DigestArchive(IEvidenceStore store)
{
    public const string Folder = "digests";

    public static string DatedName(DateTimeOffset asOf) => $"{Folder}/{asOf.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}";

    public static string LatestName => $"{Folder}/latest";

    /// <summary>Writes the dated and the latest copies; returns the report names written.</summary>
    public async Task<IReadOnlyList<string>> PublishAsync(GapReport report, CancellationToken cancellationToken = default)
    {
        var names = new List<string>();
        names.AddRange(await DigestWriter.PublishAsync(report, store, DatedName(report.AsOf), cancellationToken).ConfigureAwait(false));
        names.AddRange(await DigestWriter.PublishAsync(report, store, LatestName, cancellationToken).ConfigureAwait(false));
        return names;
    }
}
