using Aims.Functions.Jobs;
using Microsoft.Azure.Functions.Worker;
using NCrontab;

namespace Aims.Functions.Tests.Units;

public sealed class TimerTickTests
{
    private static readonly CrontabSchedule Nightly = CrontabSchedule.Parse("0 0 2 * * *", new CrontabSchedule.ParseOptions { IncludingSeconds = true });
    private static readonly DateTimeOffset Two = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_tick_without_status_has_no_next()
    {
        Assert.Equal(new TimerTick(null, null, false), TimerTick.From(new TimerInfo()));
    }

    [Fact]
    public void Reads_the_status_times_as_utc()
    {
        var tick = TimerTick.From(new TimerInfo
        {
            ScheduleStatus = new ScheduleStatus { Last = Two.UtcDateTime.AddDays(-1), Next = Two.UtcDateTime, LastUpdated = Two.UtcDateTime.AddDays(-1) },
            IsPastDue = true,
        });

        Assert.Equal(Two, tick.Next);
        Assert.Equal(Two.AddDays(-1), tick.Last);
        Assert.True(tick.IsPastDue);
    }

    [Fact]
    public void Takes_the_latest_scheduled_occurrence_allowing_an_early_fire()
    {
        var tick = new TimerTick(null, null, false);

        Assert.Equal(Two, tick.Occurrence(Two.AddMilliseconds(-400), Nightly));
        Assert.Equal(Two, tick.Occurrence(Two.AddHours(5), Nightly));
    }

    [Fact]
    public void Prefers_a_due_Next_over_the_schedule_and_ignores_a_future_one()
    {
        Assert.Equal(Two.AddDays(-3), new TimerTick(null, Two.AddDays(-3), true).Occurrence(Two.AddHours(1), Nightly));
        Assert.Equal(Two, new TimerTick(null, Two.AddDays(1), false).Occurrence(Two.AddMinutes(1), Nightly));
    }

    [Fact]
    public void Falls_back_to_the_minute_without_status_or_schedule()
    {
        Assert.Equal(Two.AddMinutes(7), new TimerTick(null, null, false).Occurrence(Two.AddMinutes(7).AddSeconds(42), null));
    }
}
