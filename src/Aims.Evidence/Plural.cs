namespace Aims.Evidence;

/// <summary>English plurals for counts in messages: "1 error", "2 errors", "3 repositories".</summary>
public static class Plural
{
    /// <summary>The noun's plural: "ies" after a consonant and "y", "es" after s/x/ch/sh, else "s".</summary>
    public static string Noun(string noun) => noun switch
    {
        [.., var c, 'y'] when !"aeiou".Contains(c, StringComparison.Ordinal) => noun[..^1] + "ies",
        _ when noun.EndsWith('s') || noun.EndsWith('x') || noun.EndsWith("ch", StringComparison.Ordinal) || noun.EndsWith("sh", StringComparison.Ordinal) => noun + "es",
        _ => noun + "s",
    };

    /// <summary>"1 error", "0 errors", "2 new items" (only the last word is made plural).</summary>
    public static string Count(long count, string noun)
    {
        if (count == 1)
        {
            return $"1 {noun}";
        }

        var space = noun.LastIndexOf(' ');
        return $"{count} {noun[..(space + 1)]}{Noun(noun[(space + 1)..])}";
    }
}
