using System.Globalization;
using Aims.Evidence;
using Aims.Evidence.Items;

namespace Aims.Collectors.Ticketing.ServiceNow;

/// <summary>
/// Builds the encoded query of one population: the configured query with the period appended to each of its
/// <c>^NQ</c> alternatives, ordered by creation so offset paging is stable. Date-time literals in an encoded query may
/// be read in the integration user's time zone, so the bounds get a day of margin each side and the collector applies
/// the exact UTC period (display values off: times come back in UTC) to what comes back.
/// </summary>
public static class ServiceNowQuery
{
    public static void Validate(string query, string setting)
    {
        if (query.Contains("ORDERBY", StringComparison.Ordinal))
        {
            throw new InvalidSettingException(setting, $"'{query}' must not contain ORDERBY: the collector orders the listing itself so paging is stable.");
        }

        if (query.StartsWith('^') || query.EndsWith('^'))
        {
            throw new InvalidSettingException(setting, $"'{query}' must not start or end with '^'.");
        }
    }

    /// <summary>
    /// <c>{q}^sys_created_on&lt;to+1d^sys_updated_on&gt;=from-1d^ORactive=true</c> for each <c>^NQ</c> part of the configured query:
    /// records raised before the period ended and either updated since it began or still active.
    /// </summary>
    public static string Build(string? configured, EvidencePeriod period)
    {
        var window = $"sys_created_on<{Moment(period.To.AddDays(1))}^sys_updated_on>={Moment(period.From.AddDays(-1))}^ORactive=true";
        var parts = string.IsNullOrWhiteSpace(configured) ? [""] : configured.Split("^NQ");
        return string.Join("^NQ", parts.Select(p => p.Length == 0 ? window : $"{p}^{window}")) + "^ORDERBYsys_created_on^ORDERBYsys_id";
    }

    private static string Moment(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
}
