using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Evidence.Collection;

/// <summary>
/// Remembers, in the store's state area (<c>redaction-verdicts/{redactor fingerprint}/{2 hex}/{sha256}</c>), the raw
/// payloads in which the secret redactor found nothing to mask. Every run records its observations anew, so an
/// unchanged source hands the recorder the same payloads run after run; a payload with a verdict is not scanned again.
/// </summary>
/// <remarks>
/// A verdict is a fact about exact bytes (their SHA-256) and one redactor (<see cref="SecretRedactor.Fingerprint"/>):
/// a redactor with other patterns finds no verdicts and scans everything again. Only "nothing to mask" is kept; a
/// payload that needed masking is scanned every time. The state area is already trusted with more than this (a cached
/// response body becomes evidence when the source answers 304), so a verdict adds no new trust.
/// </remarks>
public sealed class RedactionVerdicts(IEvidenceStore store)
{
    public const string Prefix = "redaction-verdicts/";

    /// <summary>The report a verdict on the payload with this SHA-256 is kept under.</summary>
    public static string ReportName(string sha256) => $"{Prefix}{SecretRedactor.Fingerprint}/{sha256[..2]}/{sha256}";

    /// <summary>True when this redactor already found nothing to mask in the payload with this SHA-256.</summary>
    public async Task<bool> IsCleanAsync(string sha256, CancellationToken cancellationToken = default)
    {
        await using var stream = await store.OpenReportAsync(ReportName(sha256), cancellationToken).ConfigureAwait(false);
        return stream is not null;
    }

    /// <summary>Records that this redactor found nothing to mask in the payload with this SHA-256.</summary>
    public async Task RememberCleanAsync(string sha256, CancellationToken cancellationToken = default)
    {
        try
        {
            using var content = new MemoryStream(CleanMarker, writable: false);
            await store.PutReportAsync(ReportName(sha256), content, cancellationToken).ConfigureAwait(false);
        }
        catch (StoreFailureException)
        {
            // A verdict only saves the next run a scan; the payload and its item are stored either way.
        }
    }

    private static readonly byte[] CleanMarker = "clean\n"u8.ToArray();
}
