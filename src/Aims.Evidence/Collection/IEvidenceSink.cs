using Aims.Evidence.Items;
using Aims.Evidence.Store;

namespace Aims.Evidence.Collection;

/// <summary>Where a collector puts what it observed during one job.</summary>
public interface IEvidenceSink
{
    /// <summary>Stores a raw payload (redacted when it is text) and says whether it was changed.</summary>
    Task<RawPayload> PutRawAsync(ReadOnlyMemory<byte> content, string mediaType, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores a raw payload from a stream without buffering it (binary files, large exports). Text keeps its bytes
    /// exactly (line endings, encoding) unless a secret had to be masked.
    /// </summary>
    Task<RawPayload> PutRawStreamAsync(Stream content, string mediaType, CancellationToken cancellationToken = default);

    /// <summary>Records one observation.</summary>
    Task<WriteOutcome> EmitAsync(EvidenceDraft draft, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records that <paramref name="attemptedKind"/> could not be observed for <paramref name="subject"/>
    /// (a <c>collector-error</c> item), so the failure shows in the digest instead of vanishing.
    /// <paramref name="partialFacts"/> carries what was learnt before the failure (e.g. a document's type).
    /// </summary>
    Task<WriteOutcome> ReportErrorAsync(Subject subject, string attemptedKind, string locator, string error, System.Text.Json.Nodes.JsonObject? partialFacts = null, CancellationToken cancellationToken = default);
}
