using UsageProcessor.Metering.Statements;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Statements;

public sealed class OnDemandCloseRuleTests
{
    private static readonly TimeSpan Grace = TimeSpan.FromDays(3);

    [Theory]
    [InlineData("2026-11", "2026-12-03T23:59:59.9999999Z", CloseReadiness.Open)]
    [InlineData("2026-11", "2026-12-04T00:00:00Z", CloseReadiness.Due)]
    [InlineData("2026-11", "2027-06-01T00:00:00Z", CloseReadiness.Due)]
    [InlineData("2026-11", "2026-11-15T00:00:00Z", CloseReadiness.Open)]
    [InlineData("2026-12", "2026-11-30T23:59:59.9999999Z", CloseReadiness.Future)]
    [InlineData("2026-12", "2026-12-01T00:00:00Z", CloseReadiness.Open)]
    public void Readiness_AroundTheMonthAndItsCloseInstant_IsFutureOpenThenDue(string period, string now, CloseReadiness expected)
    {
        Assert.True(BillingPeriod.TryParse(period, out var p));

        Assert.Equal(expected, OnDemandCloseRule.Readiness(p, DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture), Grace));
    }
}
