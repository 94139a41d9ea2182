using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Aims.Evidence;
using Aims.Evidence.Items;

namespace Aims.Collectors.Ticketing.Jira;

/// <summary>
/// Builds the JQL of one population: the configured query, limited to the configured projects and to the tickets
/// live during the period. JQL dates are read in the Jira user's time zone, so the bounds get a day of margin each
/// side and the collector applies the exact UTC period to what comes back.
/// </summary>
public static partial class JiraQuery
{
    /// <summary>Checks a configured JQL: not empty, quotes balanced, no ORDER BY (the collector orders the search itself).</summary>
    public static void Validate(string jql, string setting)
    {
        if (string.IsNullOrWhiteSpace(jql))
        {
            throw new InvalidSettingException(setting, "must be a JQL query.");
        }

        var outside = OutsideQuotes(jql) ?? throw new InvalidSettingException(setting, $"'{jql}' has an unterminated quoted value.");
        if (OrderBy().IsMatch(outside))
        {
            throw new InvalidSettingException(setting, $"'{jql}' must not contain ORDER BY: the collector combines the query with the period and orders the search itself.");
        }
    }

    /// <summary>How every population search is ordered: oldest first, so pages are stable while new tickets arrive.</summary>
    public const string Order = " ORDER BY created ASC, key ASC";

    /// <summary>
    /// <c>(configured) AND project in ("A", "B") AND created &lt; "to+1d" AND (updated &gt;= "from-1d" OR statusCategory != Done) ORDER BY created ASC, key ASC</c>:
    /// tickets raised before the period ended and either touched since it began or still not done.
    /// </summary>
    public static string Build(string configured, IReadOnlyList<string> projects, EvidencePeriod period) =>
        Filter(configured, projects, period) + Order;

    /// <summary><see cref="Build"/> without its ORDER BY, as the count and id searches require.</summary>
    public static string Filter(string configured, IReadOnlyList<string> projects, EvidencePeriod period)
    {
        var jql = new StringBuilder();
        jql.Append('(').Append(configured.Trim()).Append(')');
        if (projects.Count > 0)
        {
            jql.Append(" AND project in (").Append(string.Join(", ", projects.Select(p => $"\"{p}\""))).Append(')');
        }

        jql.Append(" AND created < \"").Append(Day(period.To.AddDays(1))).Append('"');
        jql.Append(" AND (updated >= \"").Append(Day(period.From.AddDays(-1))).Append("\" OR statusCategory != Done)");
        return jql.ToString();
    }

    /// <summary>
    /// The tickets of <paramref name="filter"/> updated since <paramref name="since"/>. JQL reads dates in the Jira user's
    /// time zone (anywhere from UTC-12 to UTC+14), so the bound is the UTC day before: a ticket is re-read rather than missed.
    /// </summary>
    public static string UpdatedSince(string filter, DateTimeOffset since) =>
        $"{filter} AND updated >= \"{Day(since.AddDays(-1))}\"{Order}";

    /// <summary>The tickets with the given numeric issue ids.</summary>
    public static string ByIds(IEnumerable<string> ids) =>
        $"id in ({string.Join(", ", ids)}){Order}";

    /// <summary>
    /// Whether a ticket read under an earlier period still falls under the period terms of <see cref="Filter"/> for
    /// <paramref name="period"/>, judged in UTC. A ticket near a day boundary may be judged differently from Jira, which only
    /// makes the count check fail and the population be reconciled by id: never a wrong population.
    /// </summary>
    public static bool StillMatches(Ticket ticket, EvidencePeriod period) =>
        ticket.CreatedAt.UtcDateTime.Date < period.To.AddDays(1).UtcDateTime.Date
        && (ticket.Open || (ticket.UpdatedAt is { } updated && updated.UtcDateTime.Date >= period.From.AddDays(-1).UtcDateTime.Date));

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    // The query with quoted values blanked out, or null when a quote is left open.
    private static string? OutsideQuotes(string jql)
    {
        var outside = new StringBuilder(jql.Length);
        char? quote = null;
        for (var i = 0; i < jql.Length; i++)
        {
            var c = jql[i];
            if (quote is null)
            {
                if (c is '"' or '\'')
                {
                    quote = c;
                    outside.Append(' ');
                }
                else
                {
                    outside.Append(c);
                }

                continue;
            }

            if (c == '\\' && i + 1 < jql.Length)
            {
                i++;
            }
            else if (c == quote)
            {
                quote = null;
            }

            outside.Append(' ');
        }

        return quote is null ? outside.ToString() : null;
    }

    [GeneratedRegex(@"\border\s+by\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OrderBy();
}
