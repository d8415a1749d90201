namespace UsageProcessor.Pricing.Tests;

/// <summary>Billing periods: calendar months in UTC.</summary>
public class BillingPeriodTests
{
    [Fact]
    public void Of_LastMillisecondOfMonth_StaysInThatMonth()
    {
        var period = BillingPeriod.Of(new DateTimeOffset(2026, 11, 30, 23, 59, 59, 999, TimeSpan.Zero));

        Assert.Equal(2026, period.Year);
        Assert.Equal(11, period.Month);
    }

    [Fact]
    public void Of_FirstInstantOfMonth_IsThatMonth()
    {
        var period = BillingPeriod.Of(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal("2026-12", period.ToString());
    }

    [Fact]
    public void Of_LastTickOfYear_StaysInDecember()
    {
        var lastTick = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1);

        Assert.Equal("2026-12", BillingPeriod.Of(lastTick).ToString());
        Assert.Equal("2027-01", BillingPeriod.Of(lastTick.AddTicks(1)).ToString());
    }

    [Theory]
    [InlineData(2026, 12, 1, 0, 30, 1, "2026-11")] // 23:30 UTC on 30 November
    [InlineData(2026, 11, 30, 20, 0, -5, "2026-12")] // 01:00 UTC on 1 December
    [InlineData(2027, 1, 1, 5, 0, 9, "2026-12")] // 20:00 UTC on 31 December
    [InlineData(2026, 12, 31, 23, 0, -2, "2027-01")] // 01:00 UTC on 1 January
    [InlineData(2026, 11, 15, 12, 0, 14, "2026-11")]
    public void Of_NonUtcOffset_UsesUtcMonth(int year, int month, int day, int hour, int minute, int offsetHours, string expected)
    {
        var instant = new DateTimeOffset(year, month, day, hour, minute, 0, TimeSpan.FromHours(offsetHours));

        Assert.Equal(expected, BillingPeriod.Of(instant).ToString());
    }

    [Fact]
    public void StartAndEnd_November2026_AreUtcMonthBounds()
    {
        var period = Parse("2026-11");

        Assert.Equal(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), period.Start);
        Assert.Equal(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), period.End);
        Assert.Equal(TimeSpan.Zero, period.Start.Offset);
        Assert.Equal(TimeSpan.FromDays(30), period.End - period.Start);
    }

    [Fact]
    public void End_December_IsFirstOfJanuary()
    {
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), Parse("2026-12").End);
    }

    [Fact]
    public void Of_StartAndLastTick_SamePeriod()
    {
        var period = Parse("2028-02");

        Assert.Equal(period, BillingPeriod.Of(period.Start));
        Assert.Equal(period, BillingPeriod.Of(period.End.AddTicks(-1)));
        Assert.NotEqual(period, BillingPeriod.Of(period.End));
    }

    [Theory]
    [InlineData("2026-11", 2026, 11)]
    [InlineData("2026-01", 2026, 1)]
    [InlineData("2000-12", 2000, 12)]
    [InlineData("8999-12", 8999, 12)]
    public void TryParse_YearDashMonth_Parses(string text, int year, int month)
    {
        Assert.True(BillingPeriod.TryParse(text, out var period));
        Assert.Equal(year, period.Year);
        Assert.Equal(month, period.Month);
        Assert.Equal(text, period.ToString());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2026-1")]
    [InlineData("2026-13")]
    [InlineData("2026-00")]
    [InlineData("26-11")]
    [InlineData("2026/11")]
    [InlineData("2026-11-01")]
    [InlineData(" 2026-11")]
    [InlineData("2026-11 ")]
    [InlineData("1999-12")]
    [InlineData("9000-01")]
    [InlineData("9998-06")]
    [InlineData("+026-11")]
    [InlineData("2026-+1")]
    [InlineData("2026-1a")]
    [InlineData("abcd-ef")]
    [InlineData("2026\u201311")]
    [InlineData("\uFF12\uFF10\uFF12\uFF16-11")]
    public void TryParse_BadText_Refused(string? text)
    {
        Assert.False(BillingPeriod.TryParse(text, out var period));
        Assert.Equal(default, period);
    }

    [Fact]
    public void ToString_PadsYearAndMonth()
    {
        Assert.Equal("2026-03", BillingPeriod.Of(new DateTimeOffset(2026, 3, 9, 0, 0, 0, TimeSpan.Zero)).ToString());
    }

    [Fact]
    public void PreviousAndNext_CrossYearBoundaries()
    {
        Assert.Equal(Parse("2025-12"), Parse("2026-01").Previous());
        Assert.Equal(Parse("2027-01"), Parse("2026-12").Next());
        Assert.Equal(Parse("2026-10"), Parse("2026-11").Previous());
        Assert.Equal(Parse("2026-12"), Parse("2026-11").Next());
    }

    [Fact]
    public void CompareTo_OrdersByYearThenMonth()
    {
        var earlier = Parse("2026-12");
        var later = Parse("2027-01");

        Assert.True(earlier < later);
        Assert.True(later > earlier);
        Assert.True(earlier <= later);
        Assert.True(later >= earlier);
        Assert.True(earlier <= Parse("2026-12"));
        Assert.True(earlier >= Parse("2026-12"));
        Assert.Equal(0, earlier.CompareTo(Parse("2026-12")));
        Assert.True(Parse("2026-02").CompareTo(Parse("2026-11")) < 0);
    }

    [Fact]
    public void StrictComparison_SameMonth_IsFalseBothWays()
    {
        var november = Parse("2026-11");
        var alsoNovember = BillingPeriod.Of(new DateTimeOffset(2026, 11, 30, 23, 0, 0, TimeSpan.Zero));

        Assert.False(november < alsoNovember);
        Assert.False(november > alsoNovember);
        Assert.False(Parse("2027-01") < Parse("2026-12"));
        Assert.False(Parse("2026-12") > Parse("2027-01"));
    }

    [Fact]
    public void Equality_SameMonthFromDifferentInstants_Equal()
    {
        var a = BillingPeriod.Of(new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));
        var b = BillingPeriod.Of(new DateTimeOffset(2026, 11, 29, 18, 0, 0, TimeSpan.FromHours(3)));

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    private static BillingPeriod Parse(string text) =>
        BillingPeriod.TryParse(text, out var period) ? period : throw new ArgumentException(text, nameof(text));
}
