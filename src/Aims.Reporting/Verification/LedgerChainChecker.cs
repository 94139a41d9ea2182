using Aims.Evidence.Store;

namespace Aims.Reporting.Verification;

/// <summary>
/// Follows ledger entries in order and tells what breaks the hash chain of each segment: an entry whose hash does not
/// match its content, a first entry that does not start at 1 from the genesis hash, a gap or repeat in the sequence,
/// or a link to a hash other than the previous entry's. Keeps one (sequence, hash) pair per segment.
/// </summary>
internal sealed class LedgerChainChecker
{
    private readonly Dictionary<string, (long Sequence, string Hash)> _last = new(StringComparer.Ordinal);

    public long EntriesChecked { get; private set; }

    public IReadOnlyCollection<string> Segments => _last.Keys;

    public List<string> Check(LedgerEntry entry)
    {
        EntriesChecked++;
        var problems = new List<string>();
        if (!entry.IsIntact)
        {
            problems.Add($"entry {entry.Sequence} (item {entry.ItemId}) is altered: its hash {entry.Hash} does not match its content.");
        }

        if (!_last.TryGetValue(entry.Segment, out var last))
        {
            if (entry.Sequence != 1)
            {
                problems.Add($"the chain starts at entry {entry.Sequence}, not 1: entries before it are missing.");
            }
            else if (entry.PreviousHash != LedgerEntry.GenesisHash)
            {
                problems.Add("entry 1 does not link to the genesis hash (64 zeros).");
            }
        }
        else
        {
            if (entry.Sequence != last.Sequence + 1)
            {
                problems.Add(entry.Sequence <= last.Sequence
                    ? $"entry {entry.Sequence} follows entry {last.Sequence}: entries are repeated or reordered."
                    : $"entry {entry.Sequence} follows entry {last.Sequence}: {entry.Sequence - last.Sequence - 1} entr{(entry.Sequence - last.Sequence - 1 == 1 ? "y is" : "ies are")} missing.");
            }

            if (entry.PreviousHash != last.Hash)
            {
                problems.Add($"entry {entry.Sequence} links to {entry.PreviousHash}, not to the hash of entry {last.Sequence} ({last.Hash}).");
            }
        }

        _last[entry.Segment] = (entry.Sequence, entry.Hash);
        return problems;
    }
}
