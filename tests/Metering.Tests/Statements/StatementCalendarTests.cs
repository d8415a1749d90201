using CsCheck;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Statements;

public sealed class StatementCalendarTests
{
    private static readonly BillingPeriod November = Period("2026-11");
    private static readonly TimeSpan Grace = TimeSpan.FromDays(3);
    private static readonly DateTimeOffset CloseInstant = new(2026, 12, 4, 0, 0, 0, TimeSpan.Zero);

    private static BillingPeriod Period(string text) => BillingPeriod.TryParse(text, out var p) ? p : throw new ArgumentException(text);

    [Fact]
    public void CloseInstant_DefaultGrace_IsThreeDaysAfterTheMonthEnds()
    {
        Assert.Equal(CloseInstant, StatementCalendar.CloseInstant(November, StatementCalendar.DefaultCloseGrace));
    }

    [Theory]
    [InlineData(-1, false)]
    [InlineData(0, true)]
    [InlineData(1, true)]
    public void IsClosed_AroundTheCloseInstant_ClosesExactlyAtIt(long ticksFromCloseInstant, bool closed)
    {
        Assert.Equal(closed, StatementCalendar.IsClosed(November, null, CloseInstant.AddTicks(ticksFromCloseInstant), Grace));
    }

    [Fact]
    public void IsClosed_ClosedByACloserBeforeThisClockSaysSo_IsClosed()
    {
        Assert.True(StatementCalendar.IsClosed(November, CloseInstant, CloseInstant.AddTicks(-1), Grace));
    }

    [Theory]
    [InlineData("2026-12-03T23:59:59.9999999Z", null)]
    [InlineData("2026-12-04T00:00:00Z", "2026-12")]
    [InlineData("2027-01-04T00:00:00Z", "2027-01")]
    public void StatementPeriodFor_NovemberJob_IsItsOwnUntilTheCloseThenTheBillingMonth(string billedAt, string? expected)
    {
        var period = StatementCalendar.StatementPeriodFor(November, null, DateTimeOffset.Parse(billedAt, System.Globalization.CultureInfo.InvariantCulture), Grace);

        Assert.Equal(expected, period?.ToString());
    }

    [Fact]
    public void StatementPeriodFor_ClosedEarlyBySkewedClockStillInTheMonth_IsTheNextPeriod()
    {
        var period = StatementCalendar.StatementPeriodFor(November, CloseInstant, new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero), Grace);

        Assert.Equal("2026-12", period?.ToString());
    }

    [Theory]
    [InlineData("2026-12-03T23:59:59.9999999Z", "2026-10")]
    [InlineData("2026-12-04T00:00:00Z", "2026-11")]
    [InlineData("2027-01-01T00:00:00Z", "2026-11")]
    public void LatestDue_AroundTheCloseInstant_IsTheLastClosedPeriod(string now, string expected)
    {
        Assert.Equal(expected, StatementCalendar.LatestDue(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Grace).ToString());
    }

    [Fact]
    public void LatestDue_AnyInstantAndGrace_IsClosedAndTheNextPeriodIsNot()
    {
        Gen.Select(Gen.Long[new DateTimeOffset(2001, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks, new DateTimeOffset(2099, 1, 1, 0, 0, 0, TimeSpan.Zero).UtcTicks],
                Gen.Long[TimeSpan.FromHours(1).Ticks, TimeSpan.FromDays(35).Ticks])
            .Sample((ticks, graceTicks) =>
            {
                var now = new DateTimeOffset(ticks, TimeSpan.Zero);
                var grace = TimeSpan.FromTicks(graceTicks);
                var due = StatementCalendar.LatestDue(now, grace);
                return StatementCalendar.IsClosed(due, null, now, grace) && !StatementCalendar.IsClosed(due.Next(), null, now, grace);
            });
    }
}
