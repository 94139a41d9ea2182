using System.Text.Json.Nodes;

namespace Aims.Evidence.Items;

/// <summary>
/// One observation of one subject by one collector at one time. Items are write-once; their
/// <see cref="Sha256"/> is the SHA-256 of the canonical JSON form without the <c>sha256</c> field.
/// </summary>
public sealed record EvidenceItem
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Deterministic for (run, job, subject, kind): a redelivered job writes the same id.</summary>
    public required string Id { get; init; }

    public required string Kind { get; init; }

    public required IReadOnlyList<string> Controls { get; init; }

    public required Subject Subject { get; init; }

    public required EvidenceSource Source { get; init; }

    public required string RunId { get; init; }

    public required string JobId { get; init; }

    public required DateTimeOffset ObservedAt { get; init; }

    /// <summary>For populations: the period the facts cover.</summary>
    public EvidencePeriod? Period { get; init; }

    /// <summary>
    /// The date the evidence attests to, when it differs from the observation (a document's approval date).
    /// Freshness is measured from here when set.
    /// </summary>
    public DateTimeOffset? EvidenceDate { get; init; }

    public required string Summary { get; init; }

    /// <summary>Normalized facts. Already redacted.</summary>
    public required JsonObject Facts { get; init; }

    /// <summary>SHA-256 (hex) of the raw payload, stored content-addressed; null when there is none.</summary>
    public string? RawSha256 { get; init; }

    /// <summary>Media type of the raw payload.</summary>
    public string? RawMediaType { get; init; }

    /// <summary>SHA-256 (hex) of the canonical form of this item without this field.</summary>
    public string Sha256 { get; init; } = "";

    /// <summary>
    /// The kind under which the index records this observation. A <c>collector-error</c> item stands in for
    /// the kind the collector failed to observe, so the index shows that the latest attempt failed.
    /// </summary>
    public string IndexKind => Kind == EvidenceKinds.CollectorError && Facts["attemptedKind"] is JsonValue v && v.TryGetValue<string>(out var k) ? k : Kind;

    public bool IsCollectorError => Kind == EvidenceKinds.CollectorError;

    /// <summary>The date freshness is measured from.</summary>
    public DateTimeOffset FreshnessDate => EvidenceDate ?? Period?.To ?? ObservedAt;
}
