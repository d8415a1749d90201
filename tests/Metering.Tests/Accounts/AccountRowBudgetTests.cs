using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Accounts;

public sealed class AccountRowBudgetTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 16, 12, 0, 0, TimeSpan.Zero);
    private static readonly PlanCatalog Plans = PlanCatalog.LoadEmbedded();

    private static AccountState Account(int grants = 0, int reservations = 0, int thresholds = 0) => new()
    {
        AccountId = "acct-budget",
        CreatedAt = Now.AddYears(-2),
        Plans = new PlanHistory([new PlanChange("starter", Now.AddYears(-2))]),
        Grants = [.. Enumerable.Range(0, grants).Select(i => new CreditGrant { Id = $"g-{i}", Reason = GrantReasons.Promotion, Credits = 10, GrantedAt = Now })],
        Reservations = [.. Enumerable.Range(0, reservations).Select(i => new Reservation($"req-{i}", 1, Now.AddMinutes(5)))],
        AlertThresholds = [.. Enumerable.Range(0, thresholds).Select(i => new AlertThreshold(AlertKinds.CreditsUsed, i + 1))],
    };

    [Theory]
    [InlineData(0, null)]
    [InlineData(99, null)]
    [InlineData(100, "live-grants")]
    [InlineData(150, "live-grants")]
    public void RefuseGrant_LiveGrants_RefusesTheOneAfterTheLimit(int live, string? limit) =>
        Assert.Equal(limit, AccountRowBudget.RefuseGrant(Account(grants: live), "purchase:order-1")?.Name);

    [Theory]
    [InlineData(AccountRowBudget.MaxGrantIdLength, null)]
    [InlineData(AccountRowBudget.MaxGrantIdLength + 1, "grant-id-length")]
    public void RefuseGrant_GrantIdLength_RefusesAnIdPastTheLimit(int length, string? limit) =>
        Assert.Equal(limit, AccountRowBudget.RefuseGrant(Account(), new string('g', length))?.Name);

    [Theory]
    [InlineData(AccountRowBudget.MaxGrantIdLength, null)]
    [InlineData(AccountRowBudget.MaxGrantIdLength + 1, "grant-id-length")]
    public void RefuseGrantsAfter_GrantWithTooLongAnId_Refuses(int length, string? limit)
    {
        var account = Account(grants: 3);
        account.Grants.Add(new CreditGrant { Id = new string('v', length), Reason = GrantReasons.Correction, Credits = 1, GrantedAt = Now });

        Assert.Equal(limit, AccountRowBudget.RefuseGrantsAfter(4, account)?.Name);
    }

    [Fact]
    public void Refuse_NullArguments_AreRefused()
    {
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.RefuseGrant(null!, "g"));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.RefuseGrant(Account(), null!));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.RefuseGrantsAfter(0, null!));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.RefuseReservation(null!, "r"));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.RefuseReservation(Account(), null!));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.RefuseAlertThreshold(null!));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.ChangePlan(null!, "pro", Now));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.Trim(null!, Now));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.PruneAlertedDays(null!, []));
        Assert.Throws<ArgumentNullException>(() => AccountRowBudget.PruneAlertedDays(
            new CreditGrant { Id = "g", Reason = GrantReasons.Promotion, Credits = 1, GrantedAt = Now }, null!));
    }

    public static TheoryData<string, string> Details => new()
    {
        { "live-grants", "Account 'acct-1' has reached the limit 'live-grants': at most 100 grants with credits left (purchases and correction credits included); a grant is refused until one is used up or expires (docs/partition.md#the-account-row)." },
        { "grant-id-length", "Account 'acct-1' has reached the limit 'grant-id-length': at most 133 characters in a grant id (docs/partition.md#the-account-row)." },
        { "reservations", "Account 'acct-1' has reached the limit 'reservations': at most 200 outstanding reservations; they settle as their jobs complete or expire (docs/partition.md#the-account-row)." },
        { "reservation-request-id-length", "Account 'acct-1' has reached the limit 'reservation-request-id-length': at most 128 characters in a reservation's requestId (docs/partition.md#the-account-row)." },
        { "plan-changes", "Account 'acct-1' has reached the limit 'plan-changes': at most 100 plan changes within the last 13 months (docs/partition.md#the-account-row)." },
        { "alert-thresholds", "Account 'acct-1' has reached the limit 'alert-thresholds': at most 50 alert subscriptions (docs/partition.md#the-account-row)." },
    };

    [Theory]
    [MemberData(nameof(Details))]
    public void Describe_EachLimit_NamesTheAccountTheLimitAndWhatIsCounted(string name, string detail)
    {
        RowLimit[] limits =
        [
            AccountRowBudget.LiveGrants, AccountRowBudget.GrantIdLength, AccountRowBudget.Reservations,
            AccountRowBudget.ReservationRequestIdLength, AccountRowBudget.PlanChanges, AccountRowBudget.AlertThresholds,
        ];

        Assert.Equal(detail, limits.Single(l => l.Name == name).Describe("acct-1"));
    }

    [Theory]
    [InlineData("30.000", "30")]
    [InlineData("0.50", "0.5")]
    [InlineData("7", "7")]
    public void Threshold_TrailingZeros_AreDropped(string threshold, string kept) =>
        Assert.Equal(kept, AccountRowBudget.Threshold(decimal.Parse(threshold, System.Globalization.CultureInfo.InvariantCulture)).ToString(System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void PlanHistoryFrom_AnyInstant_IsTheStartOfThePeriodThirteenMonthsBack() =>
        Assert.Equal(new DateTimeOffset(2025, 10, 1, 0, 0, 0, TimeSpan.Zero), AccountRowBudget.PlanHistoryFrom(Now));

    [Fact]
    public void Trim_ChangeExactlyAtTheWindowsStart_KeepsItAndDropsEveryEarlierOne()
    {
        var trimmed = AccountRowBudget.Trim(new PlanHistory(History("at-the-edge")), Now);

        Assert.Equal([("enterprise", AccountRowBudget.PlanHistoryFrom(Now)), ("pro", AccountRowBudget.PlanHistoryFrom(Now).AddDays(40))],
            trimmed.Changes.Select(c => (c.Plan, c.From)));
    }

    [Fact]
    public void Trim_EveryChangeBeforeTheWindow_KeepsOnlyTheLast()
    {
        var trimmed = AccountRowBudget.Trim(new PlanHistory([new PlanChange("starter", Now.AddYears(-3)), new PlanChange("pro", Now.AddYears(-2))]), Now);

        Assert.Equal([new PlanChange("pro", Now.AddYears(-2))], trimmed.Changes);
    }

    [Fact]
    public void Trim_NothingBeforeTheWindow_ReturnsTheSameHistory()
    {
        var plans = new PlanHistory([new PlanChange("starter", Now.AddMonths(-2)), new PlanChange("pro", Now.AddDays(-1))]);

        Assert.Same(plans, AccountRowBudget.Trim(plans, Now));
    }

    [Theory]
    [InlineData(100, 100, null)]   // a void that brought nothing back
    [InlineData(100, 101, "live-grants")]
    [InlineData(99, 100, null)]
    [InlineData(150, 150, null)]   // a row over the limit from before it is not refused a write that adds nothing
    public void RefuseGrantsAfter_GrowthPastTheLimit_Refuses(int before, int after, string? limit) =>
        Assert.Equal(limit, AccountRowBudget.RefuseGrantsAfter(before, Account(grants: after))?.Name);

    [Theory]
    [InlineData(0, 128, null)]
    [InlineData(199, 128, null)]
    [InlineData(200, 8, "reservations")]
    [InlineData(0, 129, "reservation-request-id-length")]
    public void RefuseReservation_CountAndRequestIdLength_RefusesPastEither(int held, int idLength, string? limit) =>
        Assert.Equal(limit, AccountRowBudget.RefuseReservation(Account(reservations: held), new string('r', idLength))?.Name);

    [Theory]
    [InlineData(49, null)]
    [InlineData(50, "alert-thresholds")]
    public void RefuseAlertThreshold_AtTheLimit_Refuses(int held, string? limit) =>
        Assert.Equal(limit, AccountRowBudget.RefuseAlertThreshold(Account(thresholds: held))?.Name);

    [Fact]
    public void ChangePlan_ThousandChangesFiveDaysApart_KeepsTheHistoryWithinTheLimit()
    {
        var plans = new PlanHistory([new PlanChange("starter", Now)]);
        var at = Now;
        for (var i = 0; i < 1000; i++)
        {
            at = at.AddDays(5);
            var (after, refused) = AccountRowBudget.ChangePlan(plans, i % 2 == 0 ? "pro" : "starter", at);
            Assert.Null(refused);
            plans = after;
        }

        Assert.InRange(plans.Changes.Count, 2, AccountRowBudget.MaxPlanChanges);
        Assert.Equal("starter", plans.Current);
        Assert.True(plans.Changes[0].From <= AccountRowBudget.PlanHistoryFrom(at));
    }

    [Fact]
    public void ChangePlan_MoreThanTheLimitWithinTheWindow_RefusesAndKeepsTheHistory()
    {
        var plans = new PlanHistory([new PlanChange("starter", Now)]);
        for (var i = 1; i < AccountRowBudget.MaxPlanChanges; i++)
        {
            (plans, var refused) = AccountRowBudget.ChangePlan(plans, i % 2 == 0 ? "starter" : "pro", Now.AddMinutes(i));
            Assert.Null(refused);
        }

        var (kept, limit) = AccountRowBudget.ChangePlan(plans, "enterprise", Now.AddHours(5));

        Assert.Equal("plan-changes", limit?.Name);
        Assert.Same(plans, kept);
        Assert.Equal(AccountRowBudget.MaxPlanChanges, kept.Changes.Count);
    }

    public static TheoryData<string> Histories => new()
    {
        // A pro account that changed plan every 9 days for four years, then once this month.
        "every-9-days",
        // Changes long ago, then one in the previous period, one this period.
        "sparse",
        // A change exactly at the start of the period 13 months back.
        "at-the-edge",
    };

    [Theory]
    [MemberData(nameof(Histories))]
    public void Trim_AnyHistory_KeepsIncludedCreditsAndPlansOfEveryBillablePeriodExact(string shape)
    {
        var history = new PlanHistory(History(shape));

        var trimmed = AccountRowBudget.Trim(history, Now);

        Assert.True(trimmed.Changes.Count < history.Changes.Count);
        var current = BillingPeriod.Of(Now);
        // The current and previous period (billing, late jobs), and every period back to the kept window's start.
        for (var back = 0; back <= AccountRowBudget.PlanHistoryPeriods; back++)
        {
            var period = BillingPeriod.Of(current.Start.AddMonths(-back));
            Assert.Equal(history.IncludedCreditsFor(period, Plans), trimmed.IncludedCreditsFor(period, Plans));
        }

        for (var at = AccountRowBudget.PlanHistoryFrom(Now); at <= Now; at = at.AddHours(7))
        {
            Assert.Equal(history.PlanAt(at), trimmed.PlanAt(at));
        }

        Assert.Equal(history.Current, trimmed.Current);
    }

    [Fact]
    public void Trim_CurrentAndPreviousPeriod_IncludedCreditsUnchanged()
    {
        // Pro from mid-October (prorated), starter for a day, pro again: billing takes the largest grant of each period.
        var history = new PlanHistory([
            .. Enumerable.Range(0, 300).Select(i => new PlanChange(i % 2 == 0 ? "pro" : "starter", Now.AddYears(-5).AddDays(i * 3))),
            new PlanChange("pro", new DateTimeOffset(2026, 10, 16, 0, 0, 0, TimeSpan.Zero)),
            new PlanChange("starter", new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero)),
            new PlanChange("pro", new DateTimeOffset(2026, 11, 3, 0, 0, 0, TimeSpan.Zero)),
        ]);
        var current = BillingPeriod.Of(Now);
        var previous = BillingPeriod.Of(current.Start.AddDays(-1));

        var trimmed = AccountRowBudget.Trim(history, Now);

        Assert.Equal(history.IncludedCreditsFor(current, Plans), trimmed.IncludedCreditsFor(current, Plans));
        Assert.Equal(history.IncludedCreditsFor(previous, Plans), trimmed.IncludedCreditsFor(previous, Plans));
        Assert.Equal(100_000m, trimmed.IncludedCreditsFor(current, Plans));
        Assert.Equal(51_613m, trimmed.IncludedCreditsFor(previous, Plans));
        Assert.Equal(4, trimmed.Changes.Count);
    }

    [Fact]
    public void PruneAlertedDays_UnsubscribedDay_IsForgotten()
    {
        var grant = new CreditGrant { Id = "g", Reason = GrantReasons.Promotion, Credits = 1, GrantedAt = Now, ExpiringAlertedDays = [7m, 30m, 90m] };

        AccountRowBudget.PruneAlertedDays(grant, [30.0m, 7m]);

        Assert.Equal([7m, 30m], grant.ExpiringAlertedDays);
    }

    private static List<PlanChange> History(string shape) => shape switch
    {
        "every-9-days" => [.. Enumerable.Range(0, 170).Select(i => new PlanChange(i % 3 == 0 ? "starter" : i % 3 == 1 ? "pro" : "enterprise", Now.AddYears(-4).AddDays(i * 9))),
            new PlanChange("pro", Now.AddDays(-3))],
        "sparse" => [new("starter", Now.AddYears(-6)), new("pro", Now.AddYears(-5)), new("starter", Now.AddYears(-3)),
            new("pro", new DateTimeOffset(2026, 10, 20, 0, 0, 0, TimeSpan.Zero)), new("starter", new DateTimeOffset(2026, 11, 10, 0, 0, 0, TimeSpan.Zero))],
        _ => [new("starter", Now.AddYears(-3)), new("pro", Now.AddYears(-2)),
            new("enterprise", AccountRowBudget.PlanHistoryFrom(Now)), new("pro", AccountRowBudget.PlanHistoryFrom(Now).AddDays(40))],
    };
}
