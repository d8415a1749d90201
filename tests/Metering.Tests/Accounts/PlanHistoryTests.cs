using UsageProcessor.Metering.Accounts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Accounts;

public sealed class PlanHistoryTests
{
    private static readonly PlanCatalog Plans = PlanCatalog.LoadEmbedded();
    private static readonly BillingPeriod November = BillingPeriod.Of(new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));

    private static DateTimeOffset Nov(int day, int hour = 0) => new(2026, 11, day, hour, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PlanAt_BeforeAndAfterAChange_GivesThePlanInForce()
    {
        var history = new PlanHistory([new PlanChange("starter", Nov(2)), new PlanChange("pro", Nov(10))]);

        Assert.Equal("starter", history.PlanAt(Nov(1)));
        Assert.Equal("starter", history.PlanAt(Nov(9, 23)));
        Assert.Equal("pro", history.PlanAt(Nov(10)));
        Assert.Equal("pro", history.Current);
    }

    [Fact]
    public void IncludedCreditsFor_ProSinceBeforeThePeriod_IsTheFullMonth()
    {
        var history = new PlanHistory([new PlanChange("pro", Nov(1).AddMonths(-2))]);

        Assert.Equal(100_000m, history.IncludedCreditsFor(November, Plans));
    }

    [Fact]
    public void IncludedCreditsFor_ChangeToProOnDay16_IsHalfTheMonth()
    {
        // November has 30 days; from the 16th at 00:00, 15 days are left.
        var history = new PlanHistory([new PlanChange("starter", Nov(1).AddMonths(-1)), new PlanChange("pro", Nov(16))]);

        Assert.Equal(50_000m, history.IncludedCreditsFor(November, Plans));
    }

    [Fact]
    public void IncludedCreditsFor_ChangeWhereTheShareIsFractional_RoundsUpToAWholeCredit()
    {
        // 29 days 23 hours left of 30 days: 100,000 × 719/720 = 99,861.11… → 99,862.
        var history = new PlanHistory([new PlanChange("starter", Nov(1).AddMonths(-1)), new PlanChange("pro", Nov(1, 1))]);

        Assert.Equal(99_862m, history.IncludedCreditsFor(November, Plans));
    }

    [Fact]
    public void IncludedCreditsFor_LeavingAndRejoiningProInOneMonth_NeverGrantsTwice()
    {
        var history = new PlanHistory([
            new PlanChange("pro", Nov(1).AddMonths(-1)),
            new PlanChange("starter", Nov(5)),
            new PlanChange("pro", Nov(20)),
        ]);

        Assert.Equal(100_000m, history.IncludedCreditsFor(November, Plans));
    }

    [Fact]
    public void IncludedCreditsFor_StarterOrEnterprise_IsZero()
    {
        Assert.Equal(0m, new PlanHistory([new PlanChange("starter", Nov(1))]).IncludedCreditsFor(November, Plans));
        Assert.Equal(0m, new PlanHistory([new PlanChange("enterprise", Nov(1))]).IncludedCreditsFor(November, Plans));
    }

    [Fact]
    public void ToJson_RoundTrips()
    {
        var history = new PlanHistory([new PlanChange("starter", Nov(2)), new PlanChange("pro", Nov(10, 5))]);

        var copy = PlanHistory.FromJson(history.ToJson());

        Assert.Equal(history.Changes, copy.Changes);
    }
}
