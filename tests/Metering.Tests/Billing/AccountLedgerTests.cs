using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Billing;

[Collection(AzuriteCollection.Name)]
public sealed class AccountLedgerTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private static readonly PriceBook Book = PriceBook.LoadEmbedded();
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(AccountLedgerTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static PricedJob Job(string jobId, string accountId, int pages, int secondsAgo = 60)
    {
        var job = JobMessageParser.ParseJob(JobMessages.Create(jobId, accountId, Now.AddSeconds(-secondsAgo), detail: "hi", pages: pages)).Value!;
        return new PricedJob(job, Book.Quote(job.Usage).Quote);
    }

    [Fact]
    public async Task CommitAsync_16WritersRacingOnOneAccountRow_CountEveryJobOnce()
    {
        var ledger = _harness.Get<AccountLedger>();
        var jobs = Enumerable.Range(0, 48).Select(i => Job($"race-{i}", "acct-ledger-race", i % 3 + 1, i)).ToList();
        var next = -1;

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < jobs.Count)
            {
                Assert.Equal(JobCommitStatus.Billed, (await ledger.CommitAsync("acct-ledger-race", [jobs[i]], default))[0].Status);
            }
        })));

        var balance = await _harness.Get<AccountReads>().GetPeriodAsync("acct-ledger-race", BillingPeriod.Of(Now), default);
        Assert.Equal(jobs.Sum(j => j.Quote.Credits), balance!.UsedCredits);
        Assert.Equal(48, balance.Jobs);
    }

    [Fact]
    public async Task CommitAsync_BatchLargerThanOneTransaction_IsSplitAndFullyBilled()
    {
        var jobs = Enumerable.Range(0, 120).Select(i => Job($"big-{i}", "acct-ledger-big", 1, i)).ToList();

        var results = await _harness.Get<AccountLedger>().CommitAsync("acct-ledger-big", jobs, default);

        Assert.All(results, r => Assert.Equal(JobCommitStatus.Billed, r.Status));
        Assert.Equal(jobs.Select(j => j.Job.JobId), results.Select(r => r.JobId));
        Assert.Equal(120, (await _harness.Get<AccountReads>().GetPeriodAsync("acct-ledger-big", BillingPeriod.Of(Now), default))!.Jobs);
    }

    [Fact]
    public async Task CommitAsync_BatchWhoseAlertsOverflowOneTransaction_IsSplitAndRaisesEachThresholdOnce()
    {
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-ledger-split", _harness.Get<PlanCatalog>().Get("pro"), default);
        for (var threshold = 1; threshold <= 40; threshold++)
        {
            await _harness.Get<Metering.Webhooks.AlertSubscriptions>().CreateAsync(
                "acct-ledger-split", $"hook-{threshold}", "credits-used", threshold, "https://hooks.example.com/x", default);
        }

        // 24 jobs of 4 credits in 24 different minutes: each crosses several thresholds, so 48 job and usage rows,
        // 24 minute rows and the alert markers cannot share one 100-entity transaction.
        var jobs = Enumerable.Range(0, 24).Select(i => Job($"split-{i}", "acct-ledger-split", 1, 60 * (i + 1))).ToList();
        var results = await _harness.Get<AccountLedger>().CommitAsync("acct-ledger-split", jobs, default);

        Assert.All(results, r => Assert.Equal(JobCommitStatus.Billed, r.Status));
        var alerts = await _harness.Get<Metering.Webhooks.AlertOutbox>().ListAsync("acct-ledger-split", BillingPeriod.Of(Now).ToString(), default);
        Assert.Equal(40, alerts.Count(a => a.Kind == "credits-used"));
        Assert.Equal(40, alerts.Select(a => a.Threshold).Distinct().Count());
    }

    [Fact]
    public async Task CommitAsync_SameJobTwiceInOneBatch_BillsTheFirstAndAnswersDuplicateAndConflict()
    {
        var first = Job("twice", "acct-ledger-twice", 2);
        var conflicting = Job("twice", "acct-ledger-twice", 9);

        var results = await _harness.Get<AccountLedger>().CommitAsync("acct-ledger-twice", [first, first, conflicting], default);

        Assert.Equal([JobCommitStatus.Billed, JobCommitStatus.Duplicate, JobCommitStatus.Conflict], results.Select(r => r.Status));
    }

    [Fact]
    public async Task CommitAsync_JobOfAnotherAccount_IsRefused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            _harness.Get<AccountLedger>().CommitAsync("acct-a", [Job("x", "acct-b", 1)], default));
    }

    [Fact]
    public async Task CoalescerCommitAsync_ConcurrentJobsOfOneAccount_AreEachAnsweredAndBilledOnce()
    {
        var coalescer = _harness.Get<CommitCoalescer>();
        var jobs = Enumerable.Range(0, 40).Select(i => Job($"co-{i}", "acct-coalesce", 1, i)).ToList();

        var results = await Task.WhenAll(jobs.Select(j => Task.Run(() => coalescer.CommitAsync(j, default))));
        var again = await coalescer.CommitAsync(jobs[0], default);

        Assert.Equal(jobs.Select(j => j.Job.JobId).Order(), results.Select(r => r.JobId).Order());
        Assert.All(results, r => Assert.Equal(JobCommitStatus.Billed, r.Status));
        Assert.Equal(JobCommitStatus.Duplicate, again.Status);
        Assert.Equal(160m, (await _harness.Get<AccountReads>().GetPeriodAsync("acct-coalesce", BillingPeriod.Of(Now), default))!.UsedCredits);
    }

    private Task<MeteringHarness> CountedAsync(TestNames names, StorageRequestCounter counter) =>
        MeteringHarness.CreateAsync(azurite, names, Now, services =>
            services.AddSingleton(StorageAccount.FromConnectionString(azurite.ConnectionString, extra: [counter])));

    [Fact]
    public async Task CommitAsync_AccountKnownFromAnEarlierCommit_IsOneTransactionWithNoReads()
    {
        var counter = new StorageRequestCounter(TimeProvider.System);
        await using var harness = await CountedAsync(azurite.UniqueNames("ledgercache"), counter);
        var ledger = harness.Get<AccountLedger>();
        await ledger.CommitAsync("acct-cache", [Job("c-1", "acct-cache", 1)], default);
        counter.Reset();

        await ledger.CommitAsync("acct-cache", [Job("c-2", "acct-cache", 2)], default);
        await ledger.CommitAsync("acct-cache", [Job("c-3", "acct-cache", 3, secondsAgo: 200)], default);

        Assert.Equal(new Dictionary<string, long> { ["table transaction"] = 2 }, counter.Snapshot());
        Assert.Equal(24m, (await harness.Get<AccountReads>().GetPeriodAsync("acct-cache", BillingPeriod.Of(Now), default))!.UsedCredits);
    }

    private static PricedJob AttributedJob(string jobId, string accountId, int i, bool attributed)
    {
        var job = JobMessageParser.ParseJob(JobMessages.Create(jobId, accountId, Now.AddSeconds(-i), pages: 1 + (i % 3),
            projectId: attributed ? $"p{i % 4}" : null, apiKeyId: attributed ? $"k{i % 3}" : null)).Value!;
        return new PricedJob(job, Book.Quote(job.Usage).Quote);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CommitAsync_240JobsWithAndWithoutProjectAndKey_CostTheSameRequests(bool attributed)
    {
        var counter = new StorageRequestCounter(TimeProvider.System);
        await using var harness = await CountedAsync(azurite.UniqueNames("ledgerattr"), counter);
        var ledger = harness.Get<AccountLedger>();
        var jobs = Enumerable.Range(0, 240).Select(i => AttributedJob($"a-{i:D3}", "acct-attr-cost", i, attributed)).ToList();
        counter.Reset();

        foreach (var chunk in jobs.Chunk(AccountLedger.MaxJobsPerCommit))
        {
            await ledger.CommitAsync("acct-attr-cost", chunk, default);
        }

        // Cold: three state reads (account, period, day) and ten transactions, whatever the attribution: a project's or
        // key's first job reads nothing (the period row lists the ids that have rows), later ones find their rows in the
        // cache, and the rows ride in the transactions. The two writes are the outbox entries of the two usage alerts the
        // month crosses, alike in both runs.
        var expected = new Dictionary<string, long> { ["table point read"] = 3, ["table transaction"] = 10, ["table write"] = 2 };
        Assert.Equal(expected, counter.Snapshot());
        var rollups = await harness.Get<AccountReads>().ListRollupsAsync("acct-attr-cost", RollupKind.Project, BillingPeriod.Of(Now), default);
        Assert.Equal(attributed ? jobs.Sum(j => j.Quote.Credits) : 0m, rollups.Sum(r => r.Total.Credits));
        Assert.Equal(attributed ? ["p0", "p1", "p2", "p3"] : [], rollups.Select(r => r.Id));
    }

    [Fact]
    public async Task CommitAsync_CachedRowsChangedByAnotherInstance_RereadsAndBillsExactly()
    {
        var names = azurite.UniqueNames("ledgerstale");
        var counter = new StorageRequestCounter(TimeProvider.System);
        await using var first = await CountedAsync(names, counter);
        await using var second = await MeteringHarness.CreateAsync(azurite, names, Now);
        var jobs = Enumerable.Range(0, 3).Select(i => Job($"s-{i}", "acct-stale", i + 1)).ToList();
        await first.Get<AccountLedger>().CommitAsync("acct-stale", [jobs[0]], default);
        await second.Get<AccountLedger>().CommitAsync("acct-stale", [jobs[1]], default);
        counter.Reset();

        var results = await first.Get<AccountLedger>().CommitAsync("acct-stale", [jobs[2]], default);

        Assert.Equal(JobCommitStatus.Billed, results[0].Status);
        // The stale cache costs one failed transaction and one read of the rows, then the commit succeeds.
        Assert.Equal(2, counter.Snapshot()["table transaction"]);
        var balance = await first.Get<AccountReads>().GetPeriodAsync("acct-stale", BillingPeriod.Of(Now), default);
        Assert.Equal(jobs.Sum(j => j.Quote.Credits), balance!.UsedCredits);
        Assert.Equal(3, balance.Jobs);
    }

    [Fact]
    public async Task CommitAsync_PurchaseAfterACachedCommit_PaysFromTheNewWallet()
    {
        var ledger = _harness.Get<AccountLedger>();
        await ledger.CommitAsync("acct-cache-buy", [Job("b-1", "acct-cache-buy", 15)], default);
        await _harness.Get<CreditPurchases>().AddAsync("acct-cache-buy", 100m, "order-1", default);

        var results = await ledger.CommitAsync("acct-cache-buy", [Job("b-2", "acct-cache-buy", 15)], default);

        // The first job took 60 of the 100 bonus credits; without the purchase the second would owe 20.
        Assert.Equal((60m, 0m), (results[0].Record!.WalletCredits, results[0].Record!.OwedCredits));
        Assert.Equal(120m, (await _harness.Get<AccountReads>().GetAccountAsync("acct-cache-buy", default))!.WalletUsed);
    }

    [Fact]
    public async Task CommitAsync_RedeliveryOfACachedAccountsJob_IsADuplicateAndKeepsTheBalance()
    {
        var ledger = _harness.Get<AccountLedger>();
        var job = Job("r-1", "acct-cache-redeliver", 3);
        await ledger.CommitAsync("acct-cache-redeliver", [job], default);

        var again = await ledger.CommitAsync("acct-cache-redeliver", [job, Job("r-2", "acct-cache-redeliver", 1)], default);

        Assert.Equal([JobCommitStatus.Duplicate, JobCommitStatus.Billed], again.Select(r => r.Status));
        Assert.Equal(16m, (await _harness.Get<AccountReads>().GetPeriodAsync("acct-cache-redeliver", BillingPeriod.Of(Now), default))!.UsedCredits);
    }

    [Fact]
    public async Task CommitAsync_LateJobAfterItsMinuteLeftTheAccountRow_CountsOnFromTheMinuteRow()
    {
        var names = azurite.UniqueNames("ledgerlate");
        await using var first = await MeteringHarness.CreateAsync(azurite, names, Now);
        var minute = Now.AddSeconds(-30);
        PricedJob At(string id, DateTimeOffset completedAt)
        {
            var job = JobMessageParser.ParseJob(JobMessages.Create(id, "acct-late", completedAt, pages: 1)).Value!;
            return new PricedJob(job, Book.Quote(job.Usage).Quote);
        }

        // Starter allows 10 jobs a minute: ten fill the minute, counted in the account row.
        await first.Get<AccountLedger>().CommitAsync("acct-late", [.. Enumerable.Range(0, 10).Select(i => At($"m-{i}", minute))], default);
        first.Clock.Advance(TimeSpan.FromHours(3));
        // A commit three hours on moves the minute's count to its own row.
        await first.Get<AccountLedger>().CommitAsync("acct-late", [At("now", first.Clock.GetUtcNow())], default);

        // Another instance, with nothing cached, bills a late job of that minute.
        await using var second = await MeteringHarness.CreateAsync(azurite, names, Now.AddHours(3));
        var late = await second.Get<AccountLedger>().CommitAsync("acct-late", [At("late", minute)], default);

        Assert.True(late[0].Record!.OverLimit);
        Assert.DoesNotContain(BillingCalculator.MinuteOf(minute), (await second.Get<AccountReads>().GetAccountAsync("acct-late", default))!.RecentMinutes.Keys);
        Assert.Equal(1, (await second.Get<AccountReads>().GetPeriodAsync("acct-late", BillingPeriod.Of(Now), default))!.OverLimitJobs);
    }
}
