namespace Aims.Pipeline;

/// <summary>"Did you mean": the known word closest to a mistyped one, by edit distance, ignoring case.</summary>
public static class SpellingSuggestion
{
    /// <summary>
    /// The candidate closest to <paramref name="typed"/>, or null when none is close enough to be a likely typo.
    /// For configuration paths (<c>a:b:c</c>) siblings are compared by their last segment first.
    /// </summary>
    public static string? Closest(string typed, IEnumerable<string> candidates)
    {
        var list = candidates.Where(c => !string.Equals(c, typed, StringComparison.OrdinalIgnoreCase)).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var parent = Parent(typed);
        var siblings = list.Where(c => string.Equals(Parent(c), parent, StringComparison.OrdinalIgnoreCase)).ToList();
        return Best(Last(typed), siblings, Last) ?? Best(typed, list, c => c);
    }

    public static int Distance(string a, string b)
    {
        a = a.ToLowerInvariant();
        b = b.ToLowerInvariant();
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }

    private static string? Best(string typed, IReadOnlyList<string> candidates, Func<string, string> compared)
    {
        // Up to a third of the word may be wrong (at least one letter, at most three): beyond that it is another word.
        var allowed = Math.Clamp(typed.Length / 3, 1, 3);
        return candidates
            .Select(c => (Candidate: c, Distance: Distance(typed, compared(c))))
            .Where(c => c.Distance <= allowed)
            .OrderBy(c => c.Distance)
            .ThenBy(c => c.Candidate, StringComparer.Ordinal)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }

    private static string Parent(string path) => path.LastIndexOf(':') is var i and >= 0 ? path[..i] : "";

    private static string Last(string path) => path[(path.LastIndexOf(':') + 1)..];
}
