namespace UsageProcessor.Pricing.Tests;

/// <summary>A plan's included credits for a billing period, prorated on a mid-month start.</summary>
public class PlanTests
{
    private static readonly Plan Pro = PlanCatalog.LoadEmbedded().Get("pro");
    private static readonly Plan Starter = PlanCatalog.LoadEmbedded().Get("starter");
    private static readonly Plan Enterprise = PlanCatalog.LoadEmbedded().Get("enterprise");

    private static readonly BillingPeriod November2026 = Period("2026-11"); // 30 days
    private static readonly BillingPeriod December2026 = Period("2026-12"); // 31 days

    [Fact]
    public void IncludedCreditsFor_ActiveBeforePeriod_FullMonth()
    {
        var activeFrom = new DateTimeOffset(2026, 3, 14, 9, 30, 0, TimeSpan.Zero);

        Assert.Equal(100_000m, Pro.IncludedCreditsFor(November2026, activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_ActiveFromFirstInstant_FullMonth()
    {
        Assert.Equal(100_000m, Pro.IncludedCreditsFor(November2026, November2026.Start));
    }

    [Theory]
    [InlineData("100.5")]
    [InlineData("0.25")]
    public void IncludedCreditsFor_FractionalAllowanceFromFirstInstant_ExactFigureNotRounded(string monthly)
    {
        var plan = new Plan("custom", 0m, TestBooks.D(monthly), false, true, null, null);

        Assert.Equal(TestBooks.D(monthly), plan.IncludedCreditsFor(November2026, November2026.Start));
        Assert.Equal(0m, plan.IncludedCreditsFor(November2026, November2026.End));
    }

    [Fact]
    public void IncludedCreditsFor_StartOfDay16Of30DayMonth_Half()
    {
        // 15 of 30 days left: 100,000 × 15 / 30.
        var activeFrom = new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(50_000m, Pro.IncludedCreditsFor(November2026, activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_NoonOfDay16Of30DayMonth_RoundsUp()
    {
        // 14.5 of 30 days left: 48,333.33… → 48,334.
        var activeFrom = new DateTimeOffset(2026, 11, 16, 12, 0, 0, TimeSpan.Zero);

        Assert.Equal(48_334m, Pro.IncludedCreditsFor(November2026, activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_StartOfDay2Of31DayMonth_RoundsUp()
    {
        // 30 of 31 days left: 96,774.19… → 96,775.
        var activeFrom = new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(96_775m, Pro.IncludedCreditsFor(December2026, activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_StartOfDay17Of31DayMonth_RoundsUp()
    {
        // 15 of 31 days left: 48,387.09… → 48,388.
        var activeFrom = new DateTimeOffset(2026, 12, 17, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(48_388m, Pro.IncludedCreditsFor(December2026, activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_OneSecondIntoMonth_RoundsUpToFullMonth()
    {
        // 100,000 × (2,592,000 − 1) / 2,592,000 = 99,999.96… → 100,000.
        var activeFrom = November2026.Start.AddSeconds(1);

        Assert.Equal(100_000m, Pro.IncludedCreditsFor(November2026, activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_LastSecondOfMonth_AtLeastOneCredit()
    {
        // 100,000 × 1 / 2,592,000 = 0.0385… → 1.
        var activeFrom = new DateTimeOffset(2026, 11, 30, 23, 59, 59, TimeSpan.Zero);

        Assert.Equal(1m, Pro.IncludedCreditsFor(November2026, activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_LeapFebruaryDay15_RoundsUp()
    {
        // February 2028 has 29 days; 15 left: 100,000 × 15 / 29 = 51,724.13… → 51,725.
        var activeFrom = new DateTimeOffset(2028, 2, 15, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(51_725m, Pro.IncludedCreditsFor(Period("2028-02"), activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_CommonFebruaryDay15_Half()
    {
        // February 2027 has 28 days; 14 left: exactly half.
        var activeFrom = new DateTimeOffset(2027, 2, 15, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(50_000m, Pro.IncludedCreditsFor(Period("2027-02"), activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_NonUtcStart_UsesTheInstant()
    {
        // 01:00 at +01:00 on day 16 is midnight UTC on day 16.
        var activeFrom = new DateTimeOffset(2026, 11, 16, 1, 0, 0, TimeSpan.FromHours(1));

        Assert.Equal(50_000m, Pro.IncludedCreditsFor(November2026, activeFrom));
    }

    [Fact]
    public void IncludedCreditsFor_ActiveFromNextPeriod_Nothing()
    {
        Assert.Equal(0m, Pro.IncludedCreditsFor(November2026, November2026.End));
        Assert.Equal(0m, Pro.IncludedCreditsFor(November2026, new DateTimeOffset(2027, 5, 1, 0, 0, 0, TimeSpan.Zero)));
    }

    [Fact]
    public void IncludedCreditsFor_PlansWithoutMonthlyCredits_Nothing()
    {
        var activeFrom = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        Assert.Equal(0m, Starter.IncludedCreditsFor(November2026, activeFrom));
        Assert.Equal(0m, Enterprise.IncludedCreditsFor(November2026, activeFrom));
    }

    [Theory]
    [InlineData(11, "2")] // 20 of 30 days × 3 = 2 exactly
    [InlineData(12, "2")] // 19 of 30 days × 3 = 1.9 → 2
    [InlineData(21, "1")] // 10 of 30 days × 3 = 1 exactly
    [InlineData(22, "1")] // 9 of 30 days × 3 = 0.9 → 1
    public void IncludedCreditsFor_SmallAllowance_RoundsUpOnlyFractions(int day, string expected)
    {
        var plan = new Plan("tiny", 0m, 3m, false, true, null, null);

        var credits = plan.IncludedCreditsFor(November2026, new DateTimeOffset(2026, 11, day, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(TestBooks.D(expected), credits);
    }

    [Fact]
    public void RateWindow_IsOneMinute()
    {
        Assert.Equal(TimeSpan.FromMinutes(1), Plan.RateWindow);
    }

    [Fact]
    public void HasRateLimit_FollowsRateLimitPerMinute()
    {
        Assert.True(new Plan("a", 0m, 0m, false, false, 1, 0).HasRateLimit);
        Assert.False(new Plan("b", 0m, 0m, true, true, null, null).HasRateLimit);
    }

    private static BillingPeriod Period(string text) =>
        BillingPeriod.TryParse(text, out var period) ? period : throw new ArgumentException(text, nameof(text));
}
