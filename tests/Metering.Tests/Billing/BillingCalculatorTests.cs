using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Billing;

/// <summary>The billing rules without storage: worked cases, then properties over generated batches.</summary>
public sealed partial class BillingCalculatorTests
{
    private const long Iterations = 500;
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 30, TimeSpan.Zero);
    private static readonly BillingPeriod November = BillingPeriod.Of(Now);
    private static readonly PriceBook Book = PriceBook.LoadEmbedded();
    private static readonly PlanCatalog Plans = PlanCatalog.LoadEmbedded();
    private static readonly BillingCalculator Calculator = new(Plans);

    private static PricedJob Job(string jobId, int pages, int secondsAgo = 60, string account = "acct")
    {
        var job = JobMessageParser.ParseJob(JobMessages.Create(jobId, account, Now.AddSeconds(-secondsAgo), detail: "hi", pages: pages)).Value!;
        return new PricedJob(job, Book.Quote(job.Usage).Quote);
    }

    private static BillingState StateOn(string plan, decimal includedUsed = 0, decimal walletGranted = 0)
    {
        var account = AccountFactory.Create("acct", Plans.Get(plan), Plans, Now.AddMonths(-2));
        if (walletGranted > 0)
        {
            GrantBook.Grant(account, new CreditGrant { Id = "bought", Reason = GrantReasons.Purchase, Credits = walletGranted, GrantedAt = Now.AddMonths(-1) });
        }
        var period = PeriodBalance.Empty("acct", November);
        period.IncludedUsed = includedUsed;
        return new BillingState("acct", account, new Dictionary<BillingPeriod, PeriodBalance> { [November] = period }, new Dictionary<DateTimeOffset, long>());
    }

    private static BillingResult Bill(BillingState state, params PricedJob[] jobs) => Calculator.Bill(state, jobs, Now);

    private static PricedJob ModelJob(string jobId, string? modelId, bool customModel, bool? registered)
    {
        var job = JobMessageParser.ParseJob(JobMessages.Create(jobId, "acct", Now.AddSeconds(-60), customModel: customModel, modelId: modelId)).Value!;
        return new PricedJob(job, Book.Quote(job.Usage).Quote) { ModelRegistered = registered };
    }

    [Theory]
    [InlineData("pro", "acme", false, true, false)]
    [InlineData("pro", "acme", false, false, true)]
    [InlineData("pro", null, true, null, false)]
    [InlineData("pro", null, false, null, false)]
    [InlineData("starter", null, true, null, true)]
    [InlineData("starter", "acme", false, false, true)]
    [InlineData("starter", null, false, null, false)]
    [InlineData("enterprise", "acme", false, true, false)]
    [InlineData("enterprise", "acme", false, false, true)]
    public void IsUnregisteredModel_PlanAndRegistration_FlagsOnlyModelsTheAccountMayNotUse(
        string plan, string? modelId, bool customModel, bool? registered, bool flagged)
    {
        Assert.Equal(flagged, BillingCalculator.IsUnregisteredModel(ModelJob("j", modelId, customModel, registered), Plans.Get(plan)));
    }

    [Fact]
    public void Bill_ThreeUnregisteredModelJobs_AllBilledFlaggedAndOneAlert()
    {
        var result = Bill(StateOn("pro"), ModelJob("a", "ghost", false, false), ModelJob("b", "ghost", false, false), ModelJob("c", "ghost", false, false));

        Assert.All(result.Jobs, j => Assert.True(j.Record!.UnregisteredModel));
        Assert.All(result.Jobs, j => Assert.Equal("ghost", j.Record!.ModelId));
        Assert.Equal(24m, result.Jobs.Sum(j => j.Record!.Credits));
        var alert = Assert.Single(result.RaisedAlerts, a => a.Kind == UsageProcessor.Metering.Alerts.AlertKinds.UnregisteredModel);
        Assert.Equal("a", alert.JobId);
    }

    [Fact]
    public void Bill_AnyBatchOfModelJobs_RaisesTheModelAlertAtMostOnceAPeriod()
    {
        Gen.Int[0, 3].Select(k => k switch
            {
                0 => (Id: "acme", Custom: false, Registered: (bool?)true),
                1 => (Id: "ghost", Custom: false, Registered: (bool?)false),
                2 => (Id: (string?)null, Custom: true, Registered: (bool?)null),
                _ => (Id: null, Custom: false, Registered: null),
            }!).Array[1, 20]
            .Sample(specs =>
            {
                var jobs = specs.Select((s, i) => ModelJob($"j{i}", s.Id, s.Custom, s.Registered)).ToArray();
                var first = Bill(StateOn("pro"), jobs);
                var again = Calculator.Bill(first.State, [.. jobs.Select((j, i) => ModelJob($"k{i}", "ghost", false, false))], Now);
                var expected = specs.Any(s => s.Registered == false) ? 1 : 0;
                return first.RaisedAlerts.Count(a => a.Kind == UsageProcessor.Metering.Alerts.AlertKinds.UnregisteredModel) == expected
                    && again.RaisedAlerts.Count(a => a.Kind == UsageProcessor.Metering.Alerts.AlertKinds.UnregisteredModel) == 1 - expected;
            }, iter: Iterations);
    }

    [Fact]
    public void Bill_NewStarterAccountPastItsBonus_PaysFromTheBonusThenOwesTheRest()
    {
        // 60 + 60 credits against the 100-credit sign-up bonus.
        var result = Bill(BillingState.New("acct"), Job("a", 15), Job("b", 15));

        Assert.True(result.AccountCreated);
        Assert.Equal([November], result.ChangedPeriods);
        Assert.Equal(120m, result.State.Periods[November].ByFamily[result.Jobs[0].Job.Quote.Family]);
        Assert.Equal([(60m, 0m), (40m, 20m)], result.Jobs.Select(j => (j.Record!.WalletCredits, j.Record.OwedCredits)));
        var period = result.State.Periods[November];
        Assert.Equal(120m, period.UsedCredits);
        Assert.Equal(20m, period.OwedCredits);
        Assert.Equal(0m, result.State.Account!.WalletRemaining);
        Assert.Equal(
            ["credits-used-percent|50", "credits-used-percent|100", "credits-exhausted|0"],
            result.RaisedAlerts.Select(a => $"{a.Kind}|{a.ThresholdKey}"));
        Assert.Equal([80m], result.RaisedAlerts.Single(a => a.ThresholdKey == "100").PassedThresholds);
    }

    [Fact]
    public void Bill_ProAtTheEndOfItsIncludedCredits_SplitsIntoIncludedWalletAndOverage()
    {
        var result = Bill(StateOn("pro", includedUsed: 99_990m, walletGranted: 5m), Job("a", 10));

        var record = result.Jobs.Single().Record!;
        Assert.Equal((10m, 5m, 25m, 0m), (record.IncludedCredits, record.WalletCredits, record.OverageCredits, record.OwedCredits));
        Assert.Contains(result.RaisedAlerts, a => a.Kind == "overage-started");
    }

    [Fact]
    public void Bill_EnterpriseJob_TakesNothingFromIncludedOrWallet()
    {
        var result = Bill(StateOn("enterprise", walletGranted: 50m), Job("a", 10));

        var record = result.Jobs.Single().Record!;
        Assert.Equal((0m, 0m, 0m, 0m), (record.IncludedCredits, record.WalletCredits, record.OverageCredits, record.OwedCredits));
        Assert.Equal(40m, result.State.Periods[November].UsedCredits);
        Assert.Empty(result.ChangedMinutes);
    }

    [Fact]
    public void Bill_TwelveStarterJobsInOneMinute_CountsTwoOverTheLimitAndAlertsOnce()
    {
        var jobs = Enumerable.Range(0, 12).Select(i => Job($"r{i}", 1, secondsAgo: 1 + i)).ToArray();

        var result = Bill(StateOn("starter", walletGranted: 1000m), jobs);

        Assert.Equal(2, result.State.Periods[November].OverLimitJobs);
        Assert.Equal(12, result.State.Account!.RecentMinutes[BillingCalculator.MinuteOf(Now)]);
        Assert.Empty(result.ChangedMinutes);
        Assert.Equal([false, true], result.Jobs.Skip(10).Select(j => j.Record!.OverLimit && j.Markers.Count == 0));
        Assert.Single(result.RaisedAlerts, a => a.Kind == "rate-limit-exceeded");
    }

    [Fact]
    public void Bill_JobOlderThanTheRecentMinutes_IsCountedInItsMinuteRow()
    {
        var state = StateOn("starter", walletGranted: 1000m);
        var late = Job("late", 1, secondsAgo: 3 * 3600);
        var lateMinute = BillingCalculator.MinuteOf(late.Job.CompletedAt);
        state.Account!.RecentMinutesFrom = BillingCalculator.MinuteOf(Now - BillingCalculator.RecentMinutesWindow);

        var result = Bill(state with { MinuteCounts = new Dictionary<DateTimeOffset, long> { [lateMinute] = 10 } }, late);

        Assert.Equal(11, result.State.MinuteCounts[lateMinute]);
        Assert.Equal([lateMinute], result.ChangedMinutes);
        Assert.True(result.Jobs.Single().Record!.OverLimit);
    }

    [Fact]
    public void Bill_MinuteThatLeavesTheWindow_MovesFromTheAccountRowToItsOwnRow()
    {
        var first = Bill(StateOn("starter", walletGranted: 1000m), Job("a", 1), Job("b", 1));
        var minute = BillingCalculator.MinuteOf(Now.AddSeconds(-60));

        var later = Calculator.Bill(first.State, [], Now + BillingCalculator.RecentMinutesWindow + TimeSpan.FromMinutes(2));

        Assert.Equal(2, later.State.MinuteCounts[minute]);
        Assert.Equal([minute], later.ChangedMinutes);
        Assert.Empty(later.State.Account!.RecentMinutes);
        Assert.True(later.State.Account.RecentMinutesFrom > minute);
        Assert.True(BillingCalculator.CountsInMinuteRow(later.State.Account, minute, Now));
    }

    [Fact]
    public void Bill_AccountRowWrittenBeforeRecentMinutes_CountsUpToNowInMinuteRows()
    {
        var state = StateOn("starter", walletGranted: 1000m);
        state.Account!.RecentMinutesFrom = null;

        var result = Bill(state, Job("a", 1));

        Assert.Equal([BillingCalculator.MinuteOf(Now.AddSeconds(-60))], result.ChangedMinutes);
        Assert.Empty(result.State.Account!.RecentMinutes);
    }

    [Fact]
    public void Bill_SameJobIdTwiceInABatch_BillsTheFirstAndAnswersDuplicateOrConflict()
    {
        var result = Bill(StateOn("pro"), Job("a", 2), Job("a", 2), Job("a", 9));

        Assert.Equal([JobCommitStatus.Billed, JobCommitStatus.Duplicate, JobCommitStatus.Conflict], result.Jobs.Select(j => j.Status));
        Assert.Equal(8m, result.State.Periods[November].UsedCredits);
    }

    [Fact]
    public void Bill_AnyBatch_LeavesItsInputStateUnchanged()
    {
        var state = StateOn("starter", walletGranted: 30m);

        Bill(state, Job("a", 10), Job("b", 10));

        Assert.Equal(0m, state.Account!.WalletUsed);
        Assert.Equal(0m, state.Periods[November].UsedCredits);
        Assert.Empty(state.Periods[November].RaisedAlerts);
        Assert.Empty(state.MinuteCounts);
    }

    [Fact]
    public void Bill_JobOfAnotherAccount_IsRefusedNamingIt() =>
        Assert.Contains("'other'", Assert.Throws<ArgumentException>(() => Bill(StateOn("pro"), Job("a", 1, account: "other"))).Message);

    [Fact]
    public void Bill_GrantExpiringWithinASubscribedNumberOfDays_RaisesGrantExpiringWithTheJob()
    {
        var state = StateOn("pro");
        state.Account!.Grants.Add(new CreditGrant { Id = "promo", Reason = GrantReasons.Promotion, Credits = 50, ExpiresAt = Now.AddDays(3), GrantedAt = Now.AddDays(-1) });
        state.Account.AlertThresholds.Add(new UsageProcessor.Metering.Accounts.AlertThreshold(UsageProcessor.Metering.Alerts.AlertKinds.GrantExpiring, 7));

        var result = Bill(state, Job("a", 1));

        var alert = Assert.Single(result.RaisedAlerts, a => a.Kind == UsageProcessor.Metering.Alerts.AlertKinds.GrantExpiring);
        Assert.Equal(("a", 7m, 50m), (alert.JobId, alert.Threshold, alert.Value));
        Assert.Contains(UsageProcessor.Metering.Alerts.AlertRules.MarkerKey(alert), result.State.Periods[November].RaisedAlerts);
    }

    [Fact]
    public void Bill_JobThatUsesUpEveryGrant_FoldsThemOutOfTheAccountRow()
    {
        // 120 credits against the 100-credit sign-up bonus and 4 bought: both used up, 16 owed.
        var result = Bill(StateOn("starter", walletGranted: 4m), Job("a", 30));

        Assert.Equal((104m, 16m), (result.Jobs[0].Record!.WalletCredits, result.Jobs[0].Record!.OwedCredits));
        Assert.Empty(result.State.Account!.Grants);
    }

    [Fact]
    public void IsUnregisteredModel_NullJobOrPlan_IsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => BillingCalculator.IsUnregisteredModel(null!, Plans.Get("pro")));
        Assert.Throws<ArgumentNullException>(() => BillingCalculator.IsUnregisteredModel(ModelJob("j", null, false, null), null!));
    }

    [Fact]
    public void Bill_NullStateOrJobs_IsRefused()
    {
        Assert.Throws<ArgumentNullException>(() => Calculator.Bill(null!, [], Now));
        Assert.Throws<ArgumentNullException>(() => Calculator.Bill(StateOn("pro"), null!, Now));
    }

    [Fact]
    public void ToResult_BilledJobAndRepeat_CarryTheRaisedAlertsOnlyOnTheBilledOne()
    {
        var result = Bill(BillingState.New("acct"), Job("a", 15), Job("a", 15));

        Assert.Equal(["credits-used-percent"], result.Jobs[0].ToResult().RaisedAlerts.Select(a => a.Kind));
        Assert.Empty(result.Jobs[1].ToResult().RaisedAlerts);
    }

    [Theory]
    // minutes relative to the account's first recent minute (null: a row without one), then whether the minute's own row counts it
    [InlineData(-1, false, true)]
    [InlineData(0, false, false)]
    [InlineData(1, false, false)]
    [InlineData(-1, true, true)]
    [InlineData(0, true, true)]
    [InlineData(1, true, false)]
    public void CountsInMinuteRow_MinuteAgainstTheAccountsWindow_TellsWhereItIsCounted(int offset, bool legacy, bool inMinuteRow)
    {
        var account = StateOn("starter").Account!;
        var from = BillingCalculator.MinuteOf(Now);
        account.RecentMinutesFrom = legacy ? null : from;

        Assert.Equal(inMinuteRow, BillingCalculator.CountsInMinuteRow(account, from.AddMinutes(offset), Now));
    }

    [Fact]
    public void CountsInMinuteRow_AccountNeverSeen_IsFalse() =>
        Assert.False(BillingCalculator.CountsInMinuteRow(null, Now, Now));

    [Fact]
    public void Bill_JobInTheFirstRecentMinute_IsCountedInTheAccountRow()
    {
        var state = StateOn("starter", walletGranted: 100m);
        var job = Job("a", 1);
        state.Account!.RecentMinutesFrom = BillingCalculator.MinuteOf(job.Job.CompletedAt);

        var result = Bill(state, job);

        Assert.Equal(1, result.State.Account!.RecentMinutes[BillingCalculator.MinuteOf(job.Job.CompletedAt)]);
        Assert.Empty(result.ChangedMinutes);
    }

    [Fact]
    public void Bill_MinuteExactlyAtTheWindowsEdge_StaysInTheAccountRow()
    {
        var first = Bill(StateOn("starter", walletGranted: 100m), Job("a", 1));
        var minute = BillingCalculator.MinuteOf(Now.AddSeconds(-60));

        var later = Calculator.Bill(first.State, [], minute + BillingCalculator.RecentMinutesWindow);

        Assert.Equal(1, later.State.Account!.RecentMinutes[minute]);
        Assert.Empty(later.ChangedMinutes);
    }

    // Generated batches: a plan, a starting balance, and jobs drawn from a small id pool so repeats and conflicts occur.
    // Half the accounts count only the last two hours in the account row, so late jobs go to minute rows.
    private static readonly Gen<BillingState> AnyState = Gen.Select(
        Gen.OneOf("starter", "pro", "enterprise"), Gen.Int[0, 100_000], Gen.Int[0, 400], Gen.Bool,
        (plan, includedUsed, wallet, windowed) =>
        {
            var state = StateOn(plan, includedUsed, wallet);
            state.Account!.RecentMinutesFrom = windowed ? BillingCalculator.MinuteOf(Now - BillingCalculator.RecentMinutesWindow) : DateTimeOffset.MinValue;
            return state;
        });

    private static readonly Gen<PricedJob> AnyJob = Gen.Select(Gen.Int[0, 30], Gen.Int[1, 40], Gen.OneOf(Gen.Int[0, 300], Gen.Int[7_000, 7_400]),
        (id, pages, secondsAgo) => Job($"j{id}", pages, secondsAgo));

    private static readonly Gen<(BillingState State, PricedJob[] Jobs)> AnyBatch = Gen.Select(AnyState, AnyJob.Array[0, 40]);

    private static IEnumerable<PricedJob> Distinct(IEnumerable<PricedJob> jobs) => jobs.DistinctBy(j => j.Job.JobId);

    private static (decimal Used, long Jobs, decimal Included, decimal Wallet, decimal Overage, decimal Owed, long OverLimit) Totals(BillingResult result)
    {
        var p = result.State.Periods[November];
        return (p.UsedCredits, p.Jobs, p.IncludedUsed, p.WalletUsed, p.OverageCredits, p.OwedCredits, p.OverLimitJobs);
    }

    [Fact]
    public void Bill_AnyBatch_UsedIsTheSumOfItsDistinctJobs() =>
        AnyBatch.Sample(b =>
        {
            var result = Calculator.Bill(b.State, b.Jobs, Now);
            var distinct = Distinct(b.Jobs).ToList();
            return result.State.Periods[November].UsedCredits == distinct.Sum(j => j.Quote.Credits)
                && result.State.Periods[November].Jobs == distinct.Count
                && result.Jobs.Count(j => j.Status == JobCommitStatus.Billed) == distinct.Count;
        }, iter: Iterations);

    [Fact]
    public void Bill_AnyBatch_SplitsEveryJobIntoIncludedWalletOverageAndOwed() =>
        AnyBatch.Sample(b =>
        {
            var unlimited = b.State.Account!.Plans.Current == "enterprise";
            return Calculator.Bill(b.State, b.Jobs, Now).Jobs.Where(j => j.Record is not null).All(j =>
            {
                var r = j.Record!;
                var paid = r.IncludedCredits + r.WalletCredits + r.OverageCredits + r.OwedCredits;
                // Unlimited plans are billed their credits and pay them from nothing the ledger tracks.
                return paid == (unlimited ? 0m : r.Credits) && r.IncludedCredits >= 0 && r.WalletCredits >= 0 && r.OverageCredits >= 0 && r.OwedCredits >= 0;
            });
        }, iter: Iterations);

    [Fact]
    public void Bill_AnyBatchBilledWholeOrInTwoParts_RaisesEachAlertAtMostOnce() =>
        Gen.Select(AnyBatch, Gen.Int[0, 40]).Sample(t =>
        {
            var ((state, drawn), cut) = t;
            // Distinct ids: a job repeated across two commits is the store's duplicate check, not the calculator's.
            var jobs = Distinct(drawn).ToArray();
            cut = Math.Min(cut, jobs.Length);
            var first = Calculator.Bill(state, jobs[..cut], Now);
            var second = Calculator.Bill(first.State, jobs[cut..], Now);
            var markers = first.Jobs.Concat(second.Jobs).SelectMany(j => j.Markers).Select(m => m.RowKey).ToList();
            return markers.Count == markers.Distinct().Count()
                && Totals(second) == Totals(Calculator.Bill(state, jobs, Now));
        }, iter: Iterations);

    [Fact]
    public void Bill_AnyOrderOfTheSameJobs_GivesTheSameTotalsAndAlerts() =>
        Gen.Select(AnyState, AnyJob.Array[0, 40], Gen.Int).Sample(t =>
        {
            var (state, drawn, seed) = t;
            var jobs = Distinct(drawn).ToArray();
            var shuffled = jobs.OrderBy(_ => 0).ToArray();
            new Random(seed).Shuffle(shuffled);
            var inOrder = Calculator.Bill(state, jobs, Now);
            var reordered = Calculator.Bill(state, shuffled, Now);
            return Totals(inOrder) == Totals(reordered)
                && inOrder.Jobs.SelectMany(j => j.Markers).Select(m => m.RowKey).Order().SequenceEqual(
                    reordered.Jobs.SelectMany(j => j.Markers).Select(m => m.RowKey).Order());
        }, iter: Iterations);
}
