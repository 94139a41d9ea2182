using System.Text;
using Aims.Evidence.Store;

namespace Aims.Storage;

/// <summary>
/// Finds the last entry of a ledger segment file or blob by reading only its end, so a segment's head (for a
/// writer resuming its chain, or for signed checkpoints after every job) costs the same at 100 or 100,000 entries.
/// </summary>
public static class LedgerTail
{
    /// <summary>The first window read from the end; widened fourfold while no whole line fits in it.</summary>
    public const int Window = 64 * 1024;

    /// <summary>Reads <c>count</c> bytes at <c>offset</c> of the segment.</summary>
    public delegate Task<byte[]> RangeReader(long offset, long count, CancellationToken cancellationToken);

    /// <summary>
    /// The last complete entry of a segment of <paramref name="length"/> bytes, or null when it holds none. With
    /// <paramref name="tornTailAllowed"/> a last line without its newline (a folder append cut short by a crash, which the
    /// next append trims) is skipped; otherwise it is a format error naming <paramref name="name"/>.
    /// </summary>
    public static async Task<LedgerEntry?> ReadLastEntryAsync(string name, long length, RangeReader read, bool tornTailAllowed, CancellationToken cancellationToken)
    {
        if (length == 0)
        {
            return null;
        }

        for (long window = Window; ; window *= 4)
        {
            var start = Math.Max(0, length - window);
            var bytes = await read(start, length - start, cancellationToken).ConfigureAwait(false);
            var end = bytes.Length - 1;
            if (bytes.Length == 0 || bytes[^1] != (byte)'\n')
            {
                if (!tornTailAllowed)
                {
                    throw new FormatException($"{name}: the ledger segment does not end with a complete line (length {length}).");
                }

                // The line after the last newline is torn: the head is the line before it.
                end = Array.LastIndexOf(bytes, (byte)'\n');
                if (end < 0)
                {
                    if (start == 0)
                    {
                        return null;
                    }

                    continue;
                }
            }

            var lineStart = end == 0 ? 0 : Array.LastIndexOf(bytes, (byte)'\n', end - 1) + 1;
            if (lineStart > 0 || start == 0)
            {
                var text = Encoding.UTF8.GetString(bytes, lineStart, end - lineStart);
                if (text.Length == 0)
                {
                    return null;
                }

                try
                {
                    return LedgerEntry.ParseLine(text);
                }
                catch (FormatException ex)
                {
                    throw new FormatException($"{name}: the last ledger line is malformed: {ex.Message}", ex);
                }
            }
        }
    }

    /// <summary>Per segment, the entry with the highest sequence among <paramref name="candidates"/> (the last entry of each file or part).</summary>
    public static IReadOnlyList<LedgerHead> Heads(IEnumerable<LedgerEntry> candidates)
    {
        var heads = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        foreach (var entry in candidates)
        {
            if (!heads.TryGetValue(entry.Segment, out var known) || entry.Sequence > known.Sequence)
            {
                heads[entry.Segment] = entry;
            }
        }

        return heads.Values
            .Select(e => new LedgerHead(e.Segment, e.Sequence, e.Hash, e.RecordedAt))
            .OrderBy(h => h.Segment, StringComparer.Ordinal)
            .ToList();
    }
}
