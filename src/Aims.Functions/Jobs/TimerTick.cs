using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Aims.Functions.Jobs;

/// <summary>
/// A timer tick: the schedule status (<c>Last</c>, <c>Next</c>) and whether it is past due.
/// The host hands the status as it stood before this tick, so <see cref="Next"/> is the occurrence being fired.
/// </summary>
public sealed record TimerTick(DateTimeOffset? Last, DateTimeOffset? Next, bool IsPastDue)
{
    /// <summary>How early the host may fire a tick (clock skew), and how far a "Next" may lie ahead and still be this tick.</summary>
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(5);

    /// <summary>The tick as the worker hands it over.</summary>
    public static TimerTick From(TimerInfo timer) =>
        new(Usable(timer.ScheduleStatus?.Last), Usable(timer.ScheduleStatus?.Next), timer.IsPastDue);

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

    // The worker hands DateTime values; an unset one (year 1) means the host had no status yet.
    private static DateTimeOffset? Usable(DateTime? value) =>
        value is { Year: > 1 } t ? new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime()) : null;
}
