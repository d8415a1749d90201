using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Alerts;

public sealed class AlertRulesTests
{
    private static readonly PlanCatalog Plans = PlanCatalog.LoadEmbedded();
    private static readonly AlertContext Context = new("acct", "2026-11", "job-1", new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero));
    private static readonly HashSet<string> NoneRaised = [];

    private static AlertMetrics Percent(decimal percent, decimal used = 0, decimal? remaining = 100, decimal wallet = 100, decimal overage = 0) =>
        new(used, percent, remaining, wallet, overage);

    [Theory]
    [InlineData(49.9, 50, "50")]
    [InlineData(79, 80.5, "80")]
    [InlineData(99.99, 100, "100")]
    public void Evaluate_CrossingOneBuiltInPercent_RaisesIt(double before, double after, string threshold)
    {
        var alerts = AlertRules.Evaluate(Plans.Get("pro"), Percent((decimal)before), Percent((decimal)after), [], null, NoneRaised, Context);

        var alert = Assert.Single(alerts);
        Assert.Equal(AlertKinds.CreditsUsedPercent, alert.Kind);
        Assert.Equal(threshold, alert.ThresholdKey);
        Assert.False(alert.Passed);
    }

    [Fact]
    public void Evaluate_CrossingFiftyAndEightyAtOnce_AlertsEightyAndMarksFiftyPassed()
    {
        var alerts = AlertRules.Evaluate(Plans.Get("pro"), Percent(10), Percent(85), [], null, NoneRaised, Context);

        Assert.Equal(2, alerts.Count);
        var raised = Assert.Single(alerts, a => !a.Passed);
        Assert.Equal(80m, raised.Threshold);
        Assert.Equal([50m], raised.PassedThresholds);
        Assert.Equal(50m, Assert.Single(alerts, a => a.Passed).Threshold);
    }

    [Fact]
    public void Evaluate_ThresholdAlreadyRaisedInThePeriod_RaisesNothing()
    {
        var alerts = AlertRules.Evaluate(Plans.Get("pro"), Percent(40), Percent(60), [], null,
            new HashSet<string> { "credits-used-percent|50" }, Context);

        Assert.Empty(alerts);
    }

    [Fact]
    public void Evaluate_NotCrossing_RaisesNothing()
    {
        Assert.Empty(AlertRules.Evaluate(Plans.Get("pro"), Percent(50), Percent(60), [], null, NoneRaised, Context));
        Assert.Empty(AlertRules.Evaluate(Plans.Get("pro"), Percent(10), Percent(49.99m), [], null, NoneRaised, Context));
    }

    [Fact]
    public void Evaluate_SubscribedThresholds_RaiseTheirKinds()
    {
        AlertThreshold[] subscribed =
        [
            new(AlertKinds.CreditsUsed, 500), new(AlertKinds.SpendUsd, 4), new(AlertKinds.CreditsRemainingBelow, 20),
            new(AlertKinds.CreditsRemainingBelow, 50), new(AlertKinds.CreditsUsedPercent, 33),
        ];

        var alerts = AlertRules.Evaluate(Plans.Get("pro"),
            Percent(30, used: 390, remaining: 60), Percent(34, used: 510, remaining: 10), subscribed, null, NoneRaised, Context);

        Assert.Contains(alerts, a => a is { Kind: AlertKinds.CreditsUsed, Threshold: 500, Passed: false });
        Assert.Contains(alerts, a => a is { Kind: AlertKinds.SpendUsd, Threshold: 4, Passed: false });
        Assert.Contains(alerts, a => a is { Kind: AlertKinds.CreditsUsedPercent, Threshold: 33, Passed: false });
        // Remaining fell below 50 and 20 at once: the lower (more urgent) one speaks.
        Assert.Contains(alerts, a => a is { Kind: AlertKinds.CreditsRemainingBelow, Threshold: 20, Passed: false });
        Assert.Contains(alerts, a => a is { Kind: AlertKinds.CreditsRemainingBelow, Threshold: 50, Passed: true });
    }

    [Fact]
    public void Evaluate_StarterWalletReachesZero_RaisesCreditsExhausted()
    {
        var alerts = AlertRules.Evaluate(Plans.Get("starter"), Percent(95, wallet: 5), Percent(100, wallet: 0), [], null, NoneRaised, Context);

        Assert.Contains(alerts, a => a.Kind == AlertKinds.CreditsExhausted);
        Assert.DoesNotContain(alerts, a => a.Kind == AlertKinds.OverageStarted);
    }

    [Fact]
    public void Evaluate_ProFirstOverageCredit_RaisesOverageStarted()
    {
        var alerts = AlertRules.Evaluate(Plans.Get("pro"), Percent(100, wallet: 0), Percent(100, wallet: 0, overage: 0.5m), [], null, NoneRaised, Context);

        Assert.Equal(AlertKinds.OverageStarted, Assert.Single(alerts).Kind);
    }

    [Fact]
    public void Evaluate_JobPastTheRateLimit_RaisesOnePerHour()
    {
        var hour = new DateTimeOffset(2026, 11, 26, 19, 42, 0, TimeSpan.Zero);

        var alert = Assert.Single(AlertRules.Evaluate(Plans.Get("starter"), Percent(1), Percent(1), [], hour, NoneRaised, Context));
        var sameHour = AlertRules.Evaluate(Plans.Get("starter"), Percent(1), Percent(1), [], hour.AddMinutes(10),
            new HashSet<string> { AlertRules.MarkerKey(alert) }, Context);

        Assert.Equal(AlertKinds.RateLimitExceeded, alert.Kind);
        Assert.Equal("h2026112619", alert.ThresholdKey);
        Assert.Empty(sameHour);
    }

    [Fact]
    public void Evaluate_Enterprise_RaisesNoCreditAlerts()
    {
        var unlimited = new AlertMetrics(1_000_000, null, null, 0, 0);

        Assert.Empty(AlertRules.Evaluate(Plans.Get("enterprise"), new AlertMetrics(0, null, null, 0, 0), unlimited, [], null, NoneRaised, Context));
    }
}

public sealed class GrantExpiringAlertTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
    private static readonly AlertContext Context = new("acct", "2026-11", "job-1", Now);

    private static UsageProcessor.Metering.Accounts.AccountState AccountWith(params UsageProcessor.Metering.Accounts.CreditGrant[] grants)
    {
        var account = new UsageProcessor.Metering.Accounts.AccountState
        {
            AccountId = "acct",
            CreatedAt = Now.AddDays(-1),
            Plans = new UsageProcessor.Metering.Accounts.PlanHistory([new UsageProcessor.Metering.Accounts.PlanChange("pro", Now.AddDays(-1))]),
        };
        account.Grants.AddRange(grants);
        return account;
    }

    private static UsageProcessor.Metering.Accounts.CreditGrant Grant(string id, double daysLeft, decimal used = 0) => new()
    {
        Id = id,
        Reason = "promotion",
        Credits = 10,
        Used = used,
        ExpiresAt = Now.AddDays(daysLeft),
        GrantedAt = Now.AddDays(-1),
    };

    [Fact]
    public void GrantsExpiring_GrantWithinTheDays_IsAlertedOncePerGrantAndThreshold()
    {
        var account = AccountWith(Grant("soon", 6.5), Grant("later", 8), Grant("empty", 1, used: 10), Grant("gone", -1));
        AlertThreshold[] subscribed = [new(AlertKinds.GrantExpiring, 7)];

        var first = AlertRules.GrantsExpiring(account, subscribed, Context);
        var second = AlertRules.GrantsExpiring(account, subscribed, Context with { Period = "2026-12" });

        var alert = Assert.Single(first);
        Assert.Equal(("7|soon", 7m, 10m), (alert.ThresholdKey, alert.Threshold, alert.Value));
        Assert.Empty(second);
        Assert.Empty(AlertRules.GrantsExpiring(AccountWith(Grant("soon", 6.5)), [], Context));
    }
}
