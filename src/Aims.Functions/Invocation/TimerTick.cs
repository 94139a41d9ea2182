using System.Globalization;
using System.Text.Json.Nodes;
using NCrontab;

namespace Aims.Functions.Invocation;

/// <summary>
/// A timer trigger's value: <c>{"Schedule": {...}, "ScheduleStatus": {"Last", "Next", "LastUpdated"} or null, "IsPastDue"}</c>.
/// The host hands the status as it stood before this tick, so <see cref="Next"/> is the occurrence being fired.
/// </summary>
public sealed record TimerTick(DateTimeOffset? Last, DateTimeOffset? Next, bool IsPastDue)
{
    /// <summary>How early the host may fire a tick (clock skew), and how far a "Next" may lie ahead and still be this tick.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(5);

    /// <summary>Reads the trigger value; a value sent as JSON text is parsed. A missing or unreadable value is a tick with no status.</summary>
    public static TimerTick Parse(JsonNode? value)
    {
        if (value is JsonValue text && text.TryGetValue<string>(out var s))
        {
            try
            {
                value = JsonNode.Parse(s);
            }
            catch (System.Text.Json.JsonException)
            {
                return new TimerTick(null, null, false);
            }
        }

        if (value is not JsonObject tick)
        {
            return new TimerTick(null, null, false);
        }

        var status = tick["ScheduleStatus"] as JsonObject;
        var pastDue = tick["IsPastDue"] is JsonValue p && p.TryGetValue<bool>(out var b) && b;
        return new TimerTick(Time(status?["Last"]), Time(status?["Next"]), pastDue);
    }

    /// <summary>
    /// The scheduled occurrence this invocation stands for, so a re-fired or past-due tick names the same run:
    /// the status's <c>Next</c> when it is due; otherwise the schedule's latest occurrence at the host's clock;
    /// otherwise the host's clock to the minute.
    /// </summary>
    public DateTimeOffset Occurrence(DateTimeOffset now, CrontabSchedule? schedule)
    {
        if (Next is { } next && next <= now + Skew && next.Year > 1)
        {
            return Truncate(next, TimeSpan.TicksPerSecond);
        }

        if (schedule is not null && LatestOccurrence(schedule, now + Skew) is { } latest)
        {
            return latest;
        }

        return Truncate(now, TimeSpan.TicksPerMinute);
    }

    private static DateTimeOffset? LatestOccurrence(CrontabSchedule schedule, DateTimeOffset at)
    {
        var end = at.UtcDateTime;
        foreach (var window in new[] { TimeSpan.FromMinutes(1), TimeSpan.FromHours(1), TimeSpan.FromDays(1), TimeSpan.FromDays(32), TimeSpan.FromDays(367) })
        {
            DateTime? latest = null;
            foreach (var occurrence in schedule.GetNextOccurrences(end - window, end))
            {
                latest = occurrence;
            }

            if (latest is { } found)
            {
                return new DateTimeOffset(DateTime.SpecifyKind(found, DateTimeKind.Utc));
            }
        }

        return null;
    }

    private static DateTimeOffset Truncate(DateTimeOffset t, long ticks)
    {
        var utc = t.ToUniversalTime();
        return new DateTimeOffset(utc.Ticks - (utc.Ticks % ticks), TimeSpan.Zero);
    }

    private static DateTimeOffset? Time(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s)
        && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t.ToUniversalTime()
            : null;
}
