using System.Buffers;
using System.Text;
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

    public List<string> Check(LedgerEntry entry) => Check(entry, entry.IsIntact);

    /// <summary>
    /// Checks an entry read from <paramref name="storedLine"/>: when the line less its <c>"hash"</c> member hashes to
    /// that hash, the line is byte for byte what was hashed when the entry was written, and the entry is intact without
    /// being serialized again; any other line is checked by re-serializing the parsed entry.
    /// </summary>
    public List<string> Check(LedgerEntry entry, string storedLine) => Check(entry, LineHashesToItsHash(storedLine, entry.Hash) || entry.IsIntact);

    private static bool LineHashesToItsHash(string line, string hash)
    {
        var member = $",\"hash\":\"{hash}\"";
        var at = line.IndexOf(member, StringComparison.Ordinal);
        if (at < 0 || hash.Length != 64 || line.IndexOf(member, at + 1, StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(line.Length));
        try
        {
            var length = Encoding.UTF8.GetBytes(line.AsSpan(0, at), rented);
            length += Encoding.UTF8.GetBytes(line.AsSpan(at + member.Length), rented.AsSpan(length));
            Span<byte> digest = stackalloc byte[32];
            Aims.Evidence.Items.CanonicalJson.Sha256(rented.AsSpan(0, length), digest);
            return Convert.ToHexStringLower(digest) == hash;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private List<string> Check(LedgerEntry entry, bool intact)
    {
        EntriesChecked++;
        var problems = new List<string>();
        if (!intact)
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
