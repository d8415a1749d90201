using System.Globalization;

namespace UsageProcessor.Pricing.Tests;

/// <summary>The product-wide range of accepted instants: its two edges, ticks either side, and what a refusal says.</summary>
public sealed class InstantBoundsTests
{
    [Theory]
    [InlineData("2000-01-01T00:00:00Z", true)]
    [InlineData("1999-12-31T23:59:59.9999999Z", false)]
    [InlineData("2000-01-01T00:30:00+01:00", false)]
    [InlineData("2026-11-26T12:00:00Z", true)]
    [InlineData("8999-12-31T23:59:59.9999999Z", true)]
    [InlineData("9000-01-01T00:00:00Z", false)]
    [InlineData("9999-12-31T23:59:59Z", false)]
    [InlineData("1600-12-31T00:00:00Z", false)]
    public void Contains_EdgesAndTicksEitherSide_InclusiveStartExclusiveEnd(string instant, bool expected)
    {
        var at = DateTimeOffset.Parse(instant, CultureInfo.InvariantCulture);

        Assert.Equal(expected, InstantBounds.Contains(at));
        Assert.Equal(expected, InstantBounds.Check(at) is null);
    }

    [Fact]
    public void Check_OutOfRange_NamesTheRangeAndTheValue()
    {
        var reason = InstantBounds.Check(new DateTimeOffset(9999, 12, 31, 23, 59, 59, TimeSpan.Zero));

        Assert.Equal("must be from 2000-01-01T00:00:00Z up to, not including, 9000-01-01T00:00:00Z; got 9999-12-31T23:59:59Z.", reason);
    }

    [Fact]
    public void Range_EveryPeriodItAdmits_LiesInsideIt()
    {
        Assert.True(BillingPeriod.TryParse("2000-01", out var first));
        Assert.True(BillingPeriod.TryParse("8999-12", out var last));

        Assert.Equal(InstantBounds.Min, first.Start);
        Assert.Equal(InstantBounds.End, last.End);
        Assert.False(BillingPeriod.TryParse("9000-01", out _));
    }
}
