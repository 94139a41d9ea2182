using System.Globalization;

namespace Aims.Bench.Entra;

/// <summary>Sizes of the fake tenant and of the change between runs, from the command line.</summary>
internal sealed record BenchOptions(
    int Users,
    int Groups,
    int ServicePrincipals,
    int AiGroups,
    int ReviewedGroups,
    int Changes,
    string? Markdown)
{
    public const string Usage =
        "options: --users 100000 --groups 5000 --service-principals 2000 --ai-groups 50 --reviewed-groups 5 --changes 10 [--markdown results.md]";

    public static BenchOptions Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"'{args[i]}' is not an option with a value. {Usage}");
            }

            values[args[i][2..]] = args[++i];
        }

        int Int(string name, int fallback, int min)
        {
            if (!values.Remove(name, out var text))
            {
                return fallback;
            }

            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min
                ? value
                : throw new ArgumentException($"--{name} must be a whole number of at least {min}; it is '{text}'. {Usage}");
        }

        var options = new BenchOptions(
            Int("users", 100_000, 1),
            Int("groups", 5_000, 1),
            Int("service-principals", 2_000, 100),
            Int("ai-groups", 50, 1),
            Int("reviewed-groups", 5, 0),
            Int("changes", 10, 0),
            values.Remove("markdown", out var markdown) ? markdown : null);
        if (values.Count > 0)
        {
            throw new ArgumentException($"Unknown option --{values.Keys.First()}. {Usage}");
        }

        if (options.AiGroups > options.Groups || options.ReviewedGroups > options.AiGroups)
        {
            throw new ArgumentException($"--ai-groups must be at most --groups, and --reviewed-groups at most --ai-groups. {Usage}");
        }

        return options;
    }
}
