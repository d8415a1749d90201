using UsageProcessor.Metering.Exports;

namespace UsageProcessor.Metering.Tests.Exports;

/// <summary>Which day is due for export at an instant, and the days a timer run catches up on; pure.</summary>
public sealed class ExportScheduleTests
{
    private static readonly TimeSpan FifteenMinutes = TimeSpan.FromMinutes(15);

    [Theory]
    [InlineData("2026-11-05T00:14:59Z", 15, "2026-11-03")] // the 4th ended, but a commit of 23:59 may still land
    [InlineData("2026-11-05T00:15:00Z", 15, "2026-11-04")]
    [InlineData("2026-11-05T23:59:59Z", 15, "2026-11-04")]
    [InlineData("2026-11-05T00:00:00Z", 1, "2026-11-03")]
    [InlineData("2026-11-05T01:00:00Z", 60, "2026-11-04")]
    [InlineData("2026-11-05T12:00:00Z", 1440, "2026-11-03")] // ExportAfter of a day: due a whole day after it ends
    [InlineData("2026-12-01T00:15:00Z", 15, "2026-11-30")]
    [InlineData("2027-01-01T00:20:00Z", 15, "2026-12-31")]
    [InlineData("2026-11-05T02:00:00+03:00", 15, "2026-11-03")] // 23:00 UTC on the 4th: days are UTC days
    public void LatestDueDay_Instant_IsTheLastDayEndedExportAfterAgo(string now, int exportAfterMinutes, string expected)
    {
        Assert.Equal(DateOnly.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), ExportSchedule.LatestDueDay(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), TimeSpan.FromMinutes(exportAfterMinutes)));
    }

    [Theory]
    [InlineData("2026-11-05T00:30:00Z", 7, "2026-10-29", "2026-11-04")]
    [InlineData("2026-11-05T00:30:00Z", 1, "2026-11-04", "2026-11-04")]
    [InlineData("2026-11-05T00:10:00Z", 7, "2026-10-28", "2026-11-03")]
    [InlineData("2026-03-02T06:00:00Z", 3, "2026-02-27", "2026-03-01")]
    public void CatchUpRange_CatchUpDays_EndsAtTheLatestDueDayAndSpansThatManyDays(string now, int catchUpDays, string first, string last)
    {
        var range = ExportSchedule.CatchUpRange(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), FifteenMinutes, catchUpDays);

        Assert.Equal((DateOnly.Parse(first, System.Globalization.CultureInfo.InvariantCulture), DateOnly.Parse(last, System.Globalization.CultureInfo.InvariantCulture)), range);
        Assert.Equal(catchUpDays, range.Last.DayNumber - range.First.DayNumber + 1);
    }

    [Fact]
    public void CatchUpRange_NoDays_IsRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExportSchedule.CatchUpRange(DateTimeOffset.UnixEpoch, FifteenMinutes, 0));
    }
}
