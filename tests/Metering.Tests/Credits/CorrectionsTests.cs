using CsCheck;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary>Voids and debits without storage, and the calculator's properties for grants and corrections.</summary>
public sealed class CorrectionsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 30, TimeSpan.Zero);
    private static readonly BillingPeriod November = BillingPeriod.Of(Now);
    private static readonly PriceBook Book = PriceBook.LoadEmbedded();
    private static readonly PlanCatalog Plans = PlanCatalog.LoadEmbedded();
    private static readonly BillingCalculator Calculator = new(Plans);
    private static readonly IReadOnlyDictionary<string, CreditGrant> NoneFolded = new Dictionary<string, CreditGrant>();

    private static PricedJob Job(string jobId, int pages, int secondsAgo = 60)
    {
        var job = JobMessageParser.ParseJob(JobMessages.Create(jobId, "acct", Now.AddSeconds(-secondsAgo), detail: "hi", pages: pages)).Value!;
        return new PricedJob(job, Book.Quote(job.Usage).Quote);
    }

    private static BillingState StateOn(string plan, decimal includedUsed, params CreditGrant[] grants)
    {
        var account = AccountFactory.Create("acct", Plans.Get(plan), Plans, Now.AddMonths(-2));
        account.Grants.Clear();
        account.WalletGranted = 0;
        foreach (var grant in grants)
        {
            GrantBook.Grant(account, grant);
        }

        var period = PeriodBalance.Empty("acct", November);
        period.IncludedUsed = includedUsed;
        return new BillingState("acct", account, new Dictionary<BillingPeriod, PeriodBalance> { [November] = period }, new Dictionary<DateTimeOffset, long>());
    }

    private static CreditGrant Grant(string id, decimal credits, int priority = CreditGrant.DefaultPriority, DateTimeOffset? expiresAt = null) =>
        new() { Id = id, Reason = GrantReasons.Promotion, Credits = credits, Priority = priority, ExpiresAt = expiresAt, GrantedAt = Now.AddDays(-3) };

    [Fact]
    public void Bill_ProWithGrants_DrawsIncludedThenGrantsByPriorityThenOverage()
    {
        // 10 pages at 4 credits: 40 credits against 5 included, then 10 + 20 from grants, then 5 overage.
        var state = StateOn("pro", 99_995m, Grant("low", 20, priority: 90), Grant("high", 10, priority: 1));

        var record = Calculator.Bill(state, [Job("a", 10)], Now).Jobs[0].Record!;

        Assert.Equal(
            [new CreditDraw(CreditDraw.Included, 5), new CreditDraw(CreditDraw.Grant, 10, "high"), new CreditDraw(CreditDraw.Grant, 20, "low"),
                new CreditDraw(CreditDraw.Overage, 5)],
            record.Draws);
        Assert.Equal((5m, 30m, 5m, 0m), (record.IncludedCredits, record.WalletCredits, record.OverageCredits, record.OwedCredits));
    }

    [Fact]
    public void Bill_LateJobCompletedBeforeTheExpiry_StillDrawsOnTheGrantBilledAfterIt()
    {
        var expires = Now.AddMinutes(-30);
        var state = StateOn("starter", 0, Grant("promo", 100, expiresAt: expires));
        var before = Job("before", 1, secondsAgo: 31 * 60);
        var at = Job("at", 1, secondsAgo: 30 * 60);

        var result = Calculator.Bill(state, [before, at], Now);

        Assert.Equal([CreditDraw.Grant], result.Jobs[0].Record!.Draws.Select(d => d.Source));
        Assert.Equal([CreditDraw.Owed], result.Jobs[1].Record!.Draws.Select(d => d.Source));
        Assert.Equal(4m, result.State.Account!.OwedOutstanding);
    }

    [Fact]
    public void Void_StarterJobPartlyOwed_GivesBackInReverseOrderAndTheDebtShrinks()
    {
        var billed = Calculator.Bill(StateOn("starter", 0, Grant("bonus", 50)), [Job("a", 15)], Now);
        var account = billed.State.Account!.Clone();
        var period = billed.State.Periods[November].Clone();

        var (record, returned) = Corrections.Void(account, period, billed.Jobs[0].Record!, NoneFolded, "fix-1", Now.AddHours(1));

        Assert.Equal([new CreditDraw(CreditDraw.Owed, 10), new CreditDraw(CreditDraw.Grant, 50, "bonus")], returned);
        Assert.True(record.Voided);
        Assert.Equal("fix-1", record.VoidReference);
        Assert.Equal((0m, 0L, 0m, 0m), (period.UsedCredits, period.Jobs, period.OwedCredits, period.WalletUsed));
        Assert.Equal((1L, 60m), (period.VoidedJobs, period.VoidedCredits));
        Assert.Equal(50m, account.CreditsLeftAt(Now));
        Assert.Equal(0m, account.OwedOutstanding);
        var again = Assert.Throws<InvalidOperationException>(() => Corrections.Void(account, period, record, NoneFolded, "fix-2", Now));
        Assert.Equal("Job 'a' was already voided by 'fix-1'.", again.Message);
    }

    [Fact]
    public void Void_GrantExpiredPastTheGraceStillInTheRow_IsFoldedAway()
    {
        var billed = Calculator.Bill(StateOn("pro", 0), [Job("a", 5)], Now);
        var account = billed.State.Account!.Clone();
        account.Grants.Add(Grant("old", 10, expiresAt: Now - GrantBook.LateJobGrace - TimeSpan.FromDays(1)));

        Corrections.Void(account, billed.State.Periods[November].Clone(), billed.Jobs[0].Record!, NoneFolded, "fix", Now);

        Assert.DoesNotContain(account.Grants, g => g.Id == "old");
        Assert.Equal(10m, account.ExpiredCredits);
    }

    [Fact]
    public void Debit_CoveredByAGrant_OwesNothingAndFoldsTheUsedUpGrant()
    {
        var account = StateOn("starter", 0, Grant("a", 5), Grant("b", 5, priority: 90)).Account!;

        var draws = Corrections.Debit(account, 5, Now);

        Assert.Equal([new CreditDraw(CreditDraw.Grant, 5, "a")], draws);
        Assert.Equal(["b"], account.Grants.Select(g => g.Id));
        Assert.Equal((0m, Now), (account.OwedOutstanding, account.UpdatedAt));
    }

    [Fact]
    public void Rules_NullArgumentsOrNothingToDebit_AreRefused()
    {
        var billed = Calculator.Bill(StateOn("pro", 0), [Job("a", 5)], Now);
        var (account, period, record) = (billed.State.Account!, billed.State.Periods[November], billed.Jobs[0].Record!);

        Assert.Throws<ArgumentNullException>(() => Corrections.Void(null!, period, record, NoneFolded, "fix", Now));
        Assert.Throws<ArgumentNullException>(() => Corrections.Void(account, null!, record, NoneFolded, "fix", Now));
        Assert.Throws<ArgumentNullException>(() => Corrections.Void(account, period, null!, NoneFolded, "fix", Now));
        Assert.Throws<ArgumentNullException>(() => Corrections.Void(account, period, record, null!, "fix", Now));
        Assert.Throws<ArgumentNullException>(() => Corrections.Debit(null!, 1, Now));
        Assert.Throws<ArgumentOutOfRangeException>(() => Corrections.Debit(account, 0, Now));
        Assert.Throws<ArgumentNullException>(() => Corrections.DrawsOf(null!));
    }

    [Fact]
    public void Void_OwedCreditsAGrantAlreadyPaid_ComeBackAsACorrectionGrant()
    {
        var billed = Calculator.Bill(StateOn("starter", 0), [Job("a", 5)], Now);
        var account = billed.State.Account!.Clone();
        GrantBook.Grant(account, Grant("bought", 30)); // pays the 20 owed first
        var period = billed.State.Periods[November].Clone();

        Corrections.Void(account, period, billed.Jobs[0].Record!, NoneFolded, "fix", Now);

        Assert.Equal(0m, account.OwedOutstanding);
        Assert.Equal(30m, account.CreditsLeftAt(Now));
        Assert.Equal(20m, account.Grants.Single(g => g.Id == Corrections.RefundGrantId("a")).Remaining);
    }

    [Fact]
    public void Void_ThenAnotherJobCrossesTheSameThreshold_RaisesNothingAgainAndUnraisesNothing()
    {
        // 60 of a 100-credit bonus: the 50 % alert. Void it, then bill 60 again: the figures cross 50 % again, silently.
        var first = Calculator.Bill(StateOn("starter", 0, Grant("bonus", 100)), [Job("a", 15)], Now);
        var account = first.State.Account!.Clone();
        var period = first.State.Periods[November].Clone();
        Corrections.Void(account, period, first.Jobs[0].Record!, NoneFolded, "fix", Now);

        var second = Calculator.Bill(first.State with { Account = account, Periods = new Dictionary<BillingPeriod, PeriodBalance> { [November] = period } },
            [Job("b", 15)], Now);

        Assert.Equal(["credits-used-percent|50"], first.RaisedAlerts.Select(a => $"{a.Kind}|{a.ThresholdKey}"));
        Assert.Contains("credits-used-percent|50", period.RaisedAlerts);
        Assert.Empty(second.RaisedAlerts);
    }

    [Fact]
    public void Bill_GrantExpiringWithinASubscribedNumberOfDays_RaisesGrantExpiringOnceAcrossJobs()
    {
        var state = StateOn("starter", 0, Grant("promo", 100, expiresAt: Now.AddDays(3)));
        state.Account!.AlertThresholds.Add(new AlertThreshold(AlertKinds.GrantExpiring, 7));

        var first = Calculator.Bill(state, [Job("a", 1)], Now);
        var second = Calculator.Bill(first.State, [Job("b", 1)], Now);

        var alert = Assert.Single(first.RaisedAlerts);
        Assert.Equal((AlertKinds.GrantExpiring, "7|promo", 96m), (alert.Kind, alert.ThresholdKey, alert.Value));
        Assert.Empty(second.RaisedAlerts);
    }

    [Fact]
    public void Debit_PastTheGrants_TakesThemInOrderAndOwesTheRest()
    {
        var account = StateOn("starter", 0, Grant("b", 5, priority: 2), Grant("a", 5, priority: 1)).Account!;

        var draws = Corrections.Debit(account, 12, Now);

        Assert.Equal([new CreditDraw(CreditDraw.Grant, 5, "a"), new CreditDraw(CreditDraw.Grant, 5, "b"), new CreditDraw(CreditDraw.Owed, 2)], draws);
        Assert.Equal(2m, account.OwedOutstanding);
    }

    [Fact]
    public void DrawsOf_RecordWrittenBeforeDraws_IsRebuiltFromItsFourAmounts()
    {
        var record = Calculator.Bill(StateOn("pro", 99_990m), [Job("a", 5)], Now).Jobs[0].Record! with { Draws = [] };

        Assert.Equal([new CreditDraw(CreditDraw.Included, 10), new CreditDraw(CreditDraw.Overage, 10)], Corrections.DrawsOf(record));
    }

    [Theory]
    [InlineData(1, 2, 3, 4, "included:1 grant:wallet:2 overage:3 owed:4")]
    [InlineData(0, 0, 0, 0, "")]
    [InlineData(0, 5, 0, 0, "grant:wallet:5")]
    [InlineData(0, 0, 0, 5, "owed:5")]
    public void DrawsOf_RecordWrittenBeforeDraws_TakesEachNonZeroAmountInDrawOrder(int included, int wallet, int overage, int owed, string expected)
    {
        var record = Calculator.Bill(StateOn("pro", 0), [Job("a", 5)], Now).Jobs[0].Record! with
        {
            Draws = [], IncludedCredits = included, WalletCredits = wallet, OverageCredits = overage, OwedCredits = owed,
        };

        Assert.Equal(expected, string.Join(' ', Corrections.DrawsOf(record).Select(d => d.GrantId is null ? $"{d.Source}:{d.Credits}" : $"{d.Source}:{d.GrantId}:{d.Credits}")));
    }

    private static readonly Gen<(string Plan, decimal IncludedUsed, CreditGrant[] Grants, int[] Pages, int Owed)> Scenarios =
        Gen.Select(
            Gen.OneOf("starter", "pro", "enterprise"),
            Gen.Int[99_900, 100_000],
            Gen.Select(Gen.Int[0, 3], Gen.Int[1, 400], Gen.Int[-20, 60], Gen.Bool).Array[0, 4],
            Gen.Int[1, 30].Array[1, 6],
            Gen.Int[0, 50])
        .Select((plan, used, grants, pages, owed) => (plan, (decimal)used,
            grants.Select((g, i) => Grant($"g{i}", g.Item2, g.Item1 * 10, g.Item4 ? Now.AddMinutes(g.Item3) : null)).ToArray(), pages, owed));

    private static BillingState StateOf((string Plan, decimal IncludedUsed, CreditGrant[] Grants, int[] Pages, int Owed) s)
    {
        var state = StateOn(s.Plan, s.IncludedUsed, [.. s.Grants.Select(g => g.Clone())]);
        state.Account!.OwedOutstanding = s.Owed;
        return state;
    }

    private static PricedJob[] JobsOf(int[] pages) => [.. pages.Select((p, i) => Job($"j{i}", p, secondsAgo: 10 + (i * 600)))];

    [Fact]
    public void Bill_AnyGrantsAndJobs_EachJobsDrawsAddUpToItsCreditsAndFollowTheOrder()
    {
        Scenarios.Sample(s =>
        {
            var result = Calculator.Bill(StateOf(s), JobsOf(s.Pages), Now);

            foreach (var job in result.Jobs)
            {
                var record = job.Record!;
                if (s.Plan == "enterprise")
                {
                    Assert.Empty(record.Draws);
                    continue;
                }

                Assert.Equal(record.Credits, record.Draws.Sum(d => d.Credits));
                var rank = record.Draws.Select(d => d.Source switch { CreditDraw.Included => 0, CreditDraw.Grant => 1, _ => 2 }).ToList();
                Assert.Equal(rank.Order(), rank);
                Assert.All(record.Draws.Where(d => d.GrantId is not null),
                    d => Assert.True(s.Grants.Single(g => g.Id == d.GrantId).CountsFor(record.CompletedAt)));
            }
        }, iter: 300);
    }

    [Fact]
    public void Void_ThenBillAgain_GivesTheOriginalStateAndTheSameDraws()
    {
        Scenarios.Sample(s =>
        {
            var jobs = JobsOf(s.Pages);
            var before = Calculator.Bill(StateOf(s), jobs[..^1], Now).State;
            var once = Calculator.Bill(before, [jobs[^1]], Now);

            var account = once.State.Account!.Clone();
            var period = once.State.Periods[November].Clone();
            // Grants the job used up were folded out of the row; their own rows bring them back, as the store does.
            var folded = before.Account!.Grants.ToDictionary(g => g.Id, g => g.Clone(), StringComparer.Ordinal);
            Corrections.Void(account, period, once.Jobs[0].Record!, folded, "fix", Now);

            Assert.Equal(Figures(before.Account!, before.Periods[November]), Figures(account, period));
            var again = Calculator.Bill(before with { Account = account, Periods = new Dictionary<BillingPeriod, PeriodBalance> { [November] = period } },
                [jobs[^1]], Now);
            Assert.Equal(once.Jobs[0].Record!.Draws, again.Jobs[0].Record!.Draws);
            Assert.Equal(Figures(once.State.Account!, once.State.Periods[November]), Figures(again.State.Account!, again.State.Periods[November]));
        }, iter: 300);
    }

    // Everything a void must restore; the voided-job counters are left out on purpose (they record the void).
    private static string Figures(AccountState a, PeriodBalance p) => string.Join(';',
        $"{N(p.UsedCredits)}|{p.Jobs}|{N(p.IncludedUsed)}|{N(p.WalletUsed)}|{N(p.OverageCredits)}|{N(p.OwedCredits)}",
        string.Join(',', p.ByFamily.Select(f => $"{f.Key}={N(f.Value)}")),
        $"{N(a.WalletGranted)}|{N(a.WalletUsed)}|{N(a.OwedOutstanding)}|{N(a.OwedPaid)}",
        string.Join(',', a.Grants.Where(g => g.Remaining > 0).OrderBy(g => g.Id, StringComparer.Ordinal).Select(g => $"{g.Id}={N(g.Remaining)}")));

    // Equal amounts may differ in scale (0 and 0.0); compare them as numbers.
    private static string N(decimal value) => EntityValues.Format(value);
}
