using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Billing;

/// <summary>The spend-cap rule and the period figures admission reads from the account row, without storage.</summary>
public sealed class SpendCapRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private static readonly AlertContext Context = new("acct", "2026-11", "job-1", Now);

    [Theory]
    [InlineData(0, 99, 100, false, false)]      // below the cap
    [InlineData(0, 100, 100, false, true)]      // reaching it exactly
    [InlineData(90, 150, 100, false, true)]     // jumping over it
    [InlineData(100, 150, 100, false, false)]   // already reached before this job
    [InlineData(90, 150, 100, true, false)]     // raised earlier in the period (the cap was lowered and raised again)
    public void Evaluate_MeasureMovingAcrossTheCap_RaisesOncePerPeriod(int before, int after, int cap, bool raised, bool expected)
    {
        var alert = SpendCapRule.Evaluate(new SpendCap(cap, SpendCapBasis.Credits), before, after,
            raised ? new HashSet<string> { SpendCapRule.MarkerKey } : [], Context);

        Assert.Equal(expected, alert is not null);
        if (alert is not null)
        {
            Assert.Equal((AlertKinds.SpendCapReached, (decimal)cap, (decimal)after, "job-1"), (alert.Kind, alert.Threshold, alert.Value, alert.JobId));
            Assert.Equal(SpendCapRule.MarkerKey, AlertRules.MarkerKey(alert));
            Assert.Equal(UsageAlert.IdFor("acct", "2026-11", AlertKinds.SpendCapReached, "0"), alert.AlertId);
        }
    }

    [Fact]
    public void Rules_NullArguments_AreRefused()
    {
        var cap = new SpendCap(100, SpendCapBasis.Credits);

        Assert.Throws<ArgumentNullException>(() => SpendCapRule.Measure(null!, 1, 2));
        Assert.Throws<ArgumentNullException>(() => SpendCapRule.Measure(cap, (PeriodBalance)null!));
        Assert.Throws<ArgumentNullException>(() => SpendCapRule.Evaluate(cap, 0, 1, null!, Context));
        Assert.Throws<ArgumentNullException>(() => SpendCapRule.Evaluate(cap, 0, 1, new HashSet<string>(), null!));
    }

    [Fact]
    public void Evaluate_NoCap_NeverRaises() =>
        Assert.Null(SpendCapRule.Evaluate(null, 0, 1_000_000, new HashSet<string>(), Context));

    [Theory]
    [InlineData(SpendCapBasis.Credits, 120, 20, 120)]
    [InlineData(SpendCapBasis.Overage, 120, 20, 20)]
    public void Measure_Basis_CountsCreditsOrOnlyOverage(SpendCapBasis basis, int used, int overage, int expected) =>
        Assert.Equal(expected, SpendCapRule.Measure(new SpendCap(1, basis), used, overage));

    [Theory]
    [InlineData(99.99, false)]
    [InlineData(100, false)]      // a job ending exactly at the cap is not past it
    [InlineData(100.01, true)]
    public void PastCap_MeasureAroundTheCap_IsPastOnlyAboveIt(double after, bool past) =>
        Assert.Equal(past, SpendCapRule.PastCap(new SpendCap(100, SpendCapBasis.Credits), (decimal)after));

    [Fact]
    public void PastCap_AnyMeasure_IsStrictlyAboveTheCap() =>
        Gen.Select(Gen.Decimal[0, 10_000], Gen.Decimal[0, 10_000]).Sample((cap, after) =>
            SpendCapRule.PastCap(new SpendCap(cap, SpendCapBasis.Credits), after) == after > cap && !SpendCapRule.PastCap(null, after));

    [Theory]
    [InlineData(null, "2026-11", null)]              // a row that never kept them: read the period row
    [InlineData("2026-11", "2026-11", 50.0)]         // the latest billed period is this one
    [InlineData("2026-10", "2026-11", 0.0)]          // nothing billed this month yet
    [InlineData("2026-12", "2026-11", null)]         // a later period was billed: this one is not on the row
    public void For_LatestPeriodOnTheRow_GivesThisPeriodsFiguresOrNothing(string? latest, string asked, double? used)
    {
        var account = AccountFactory.Create("acct", PlanCatalog.LoadEmbedded().Get("pro"), PlanCatalog.LoadEmbedded(), Now);
        account.LatestPeriod = latest is null ? null : new PeriodFigures(latest, 50, 40, 10);
        Assert.True(BillingPeriod.TryParse(asked, out var period));

        var figures = PeriodFigures.For(account, period);

        Assert.Equal(used is null ? null : (decimal)used.Value, figures?.UsedCredits);
        Assert.True(figures is null || figures.Period == asked);
    }
}
