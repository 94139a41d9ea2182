using Aims.Evidence.Requirements;

namespace Aims.Evidence.Tests;

public sealed class IsoDurationTests
{
    [Theory]
    [InlineData("2024-02-29", "P1Y", "2025-02-28")]
    [InlineData("2026-01-31", "P1M", "2026-02-28")]
    [InlineData("2026-02-28", "P90D", "2026-05-29")]
    [InlineData("2026-02-28", "P2W", "2026-03-14")]
    [InlineData("2026-02-28", "P1Y6M", "2027-08-28")]
    public void Adds_on_the_calendar(string start, string text, string expected)
    {
        var from = DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal);

        var end = IsoDuration.Parse(text).AddTo(from);

        Assert.Equal(expected, end.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData("")]
    [InlineData("P")]
    [InlineData("PT")]
    [InlineData("90D")]
    [InlineData("P-1D")]
    [InlineData("P1.5Y")]
    [InlineData("one year")]
    public void Rejects_what_is_not_a_duration(string text) => Assert.False(IsoDuration.TryParse(text, out _));

    [Fact]
    public void Formats_back_to_iso()
    {
        Assert.Equal("P1Y2M3DT4H", IsoDuration.Parse("P1Y2M3DT4H").ToString());
    }
}
