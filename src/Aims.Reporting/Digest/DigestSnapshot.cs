using Aims.Evidence.Gaps;

namespace Aims.Reporting.Digest;

/// <summary>
/// One subject as a digest saw it. <paramref name="Fingerprint"/> is the SHA-256 of the evidence content (the raw
/// payload, or the facts when there is none), so a re-collected but unchanged document is not reported as changed.
/// </summary>
public sealed record SubjectSnapshot(string Key, string Name, GapStatus Status, string? ItemId, string? Fingerprint, DateTimeOffset? FreshUntil);

/// <summary>One requirement as a digest saw it.</summary>
public sealed record RequirementSnapshot(string Id, string Owner, GapStatus Status, IReadOnlyList<SubjectSnapshot> Subjects);

/// <summary>What one digest reported: enough to say what changed since and to draw the status trend.</summary>
public sealed record DigestSnapshot(
    DateTimeOffset AsOf,
    DateTimeOffset RecordedAt,
    IReadOnlyDictionary<GapStatus, int> ControlCounts,
    int Ready,
    int InScope,
    int SourceNotConfigured,
    IReadOnlyList<RequirementSnapshot> Requirements);
