using Aims.Evidence.Store;

namespace Aims.Storage.Tests;

/// <summary>Checks the ledger the way a verifier does: per segment, sequence 1..n, each link intact and chained.</summary>
internal static class LedgerChains
{
    public static void AssertValid(IReadOnlyList<LedgerEntry> entries)
    {
        foreach (var segment in entries.GroupBy(e => e.Segment))
        {
            var expectedSequence = 1L;
            var previous = LedgerEntry.GenesisHash;
            foreach (var entry in segment)
            {
                Assert.True(entry.IsIntact, $"Segment {segment.Key} entry {entry.Sequence} does not hash to its recorded hash.");
                Assert.Equal(expectedSequence, entry.Sequence);
                Assert.Equal(previous, entry.PreviousHash);
                previous = entry.Hash;
                expectedSequence++;
            }
        }
    }

    /// <summary>The heads a full scan finds: per segment, the last entry in chain order.</summary>
    public static List<LedgerHead> HeadsByFullScan(IEnumerable<LedgerEntry> entries) =>
        entries.GroupBy(e => e.Segment)
            .Select(g => g.Last())
            .Select(e => new LedgerHead(e.Segment, e.Sequence, e.Hash, e.RecordedAt))
            .OrderBy(h => h.Segment, StringComparer.Ordinal)
            .ToList();
}
