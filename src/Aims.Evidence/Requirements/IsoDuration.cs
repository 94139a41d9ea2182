using System.Globalization;
using System.Text.RegularExpressions;

namespace Aims.Evidence.Requirements;

/// <summary>
/// An ISO 8601 duration (<c>P1Y</c>, <c>P90D</c>, <c>P6M</c>, <c>P2W</c>, <c>PT12H</c>) applied on the calendar,
/// so "P1Y" from 29 Feb lands on 28 Feb and "P1M" from 31 Jan on the last day of February.
/// </summary>
public readonly partial record struct IsoDuration(int Years, int Months, int Days, TimeSpan Time)
{
    public static bool TryParse(string? text, out IsoDuration duration)
    {
        duration = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var m = Pattern().Match(text.Trim());
        if (!m.Success || text.Trim() is "P" or "PT")
        {
            return false;
        }

        int Int(string g) => m.Groups[g].Success ? int.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture) : 0;
        var weeks = Int("w");
        var time = new TimeSpan(Int("h"), Int("mi"), Int("s"));
        duration = new IsoDuration(Int("y"), Int("mo"), Int("d") + (weeks * 7), time);
        return duration != default;
    }

    public static IsoDuration Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not an ISO 8601 duration such as P90D, P1Y or P6M.");

    public DateTimeOffset AddTo(DateTimeOffset start) => start.AddYears(Years).AddMonths(Months).AddDays(Days).Add(Time);

    public DateTimeOffset SubtractFrom(DateTimeOffset end) => end.AddYears(-Years).AddMonths(-Months).AddDays(-Days).Subtract(Time);

    public override string ToString()
    {
        var date = (Years > 0 ? $"{Years}Y" : "") + (Months > 0 ? $"{Months}M" : "") + (Days > 0 ? $"{Days}D" : "");
        var time = (Time.Hours > 0 ? $"{Time.Hours}H" : "") + (Time.Minutes > 0 ? $"{Time.Minutes}M" : "") + (Time.Seconds > 0 ? $"{Time.Seconds}S" : "");
        return "P" + date + (time.Length > 0 ? "T" + time : "");
    }

    [GeneratedRegex(@"^P(?:(?<y>\d{1,4})Y)?(?:(?<mo>\d{1,4})M)?(?:(?<w>\d{1,4})W)?(?:(?<d>\d{1,5})D)?(?:T(?:(?<h>\d{1,5})H)?(?:(?<mi>\d{1,5})M)?(?:(?<s>\d{1,6})S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
