namespace Aims.Evidence.Gaps;

/// <summary>The state of a requirement or control. Declared from least to most urgent; roll-ups take the most urgent.</summary>
public enum GapStatus
{
    /// <summary>Waived, with a reason and an expiry.</summary>
    NotApplicable,

    Ok,

    /// <summary>Fresh now, but stale by the next audit date.</summary>
    Expiring,

    /// <summary>The latest attempt to collect failed.</summary>
    CollectorError,

    /// <summary>Evidence exists but is older than the requirement's freshness window.</summary>
    Stale,

    /// <summary>Evidence exists and a check on it failed.</summary>
    Failing,

    /// <summary>No evidence at all.</summary>
    Missing,
}

public static class GapStatusNames
{
    public static string ToName(this GapStatus status) => status switch
    {
        GapStatus.NotApplicable => "not-applicable",
        GapStatus.Ok => "ok",
        GapStatus.Expiring => "expiring",
        GapStatus.CollectorError => "collector-error",
        GapStatus.Stale => "stale",
        GapStatus.Failing => "failing",
        GapStatus.Missing => "missing",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static GapStatus Parse(string name) =>
        Enum.GetValues<GapStatus>().FirstOrDefault(s => s.ToName() == name, (GapStatus)(-1)) is var s && (int)s >= 0
            ? s
            : throw new FormatException($"'{name}' is not a gap status.");

    /// <summary>The most urgent of several statuses; <see cref="GapStatus.NotApplicable"/> only when all are.</summary>
    public static GapStatus Worst(IEnumerable<GapStatus> statuses)
    {
        var any = false;
        var worst = GapStatus.NotApplicable;
        foreach (var s in statuses)
        {
            any = true;
            if (s > worst)
            {
                worst = s;
            }
        }

        return any ? worst : GapStatus.Missing;
    }
}
