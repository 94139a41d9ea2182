namespace Aims.Evidence.Store;

/// <summary>The last entry of one ledger segment: what a signed checkpoint vouches for.</summary>
public sealed record LedgerHead(string Segment, long Sequence, string Hash, DateTimeOffset RecordedAt);
