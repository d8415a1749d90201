using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Ledger;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Ledger;

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

        var balance = await ledger.GetPeriodAsync("acct-ledger-race", BillingPeriod.Of(Now), default);
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
        Assert.Equal(120, (await _harness.Get<AccountLedger>().GetPeriodAsync("acct-ledger-big", BillingPeriod.Of(Now), default))!.Jobs);
    }

    [Fact]
    public async Task CommitAsync_BatchWhoseAlertsOverflowOneTransaction_IsSplitAndRaisesEachThresholdOnce()
    {
        await _harness.Get<Accounts.AccountRegistry>().SetPlanAsync("acct-ledger-split", _harness.Get<PlanCatalog>().Get("pro"), default);
        for (var threshold = 1; threshold <= 40; threshold++)
        {
            await _harness.Get<Metering.Alerts.AlertSubscriptions>().CreateAsync(
                "acct-ledger-split", "credits-used", threshold, "https://hooks.example.com/x", default);
        }

        // 24 jobs of 4 credits in 24 different minutes: each crosses several thresholds, so 48 job and usage rows,
        // 24 minute rows and the alert markers cannot share one 100-entity transaction.
        var jobs = Enumerable.Range(0, 24).Select(i => Job($"split-{i}", "acct-ledger-split", 1, 60 * (i + 1))).ToList();
        var results = await _harness.Get<AccountLedger>().CommitAsync("acct-ledger-split", jobs, default);

        Assert.All(results, r => Assert.Equal(JobCommitStatus.Billed, r.Status));
        var alerts = await _harness.Get<Metering.Alerts.AlertOutbox>().ListAsync("acct-ledger-split", BillingPeriod.Of(Now).ToString(), default);
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
        Assert.Equal(160m, (await _harness.Get<AccountLedger>().GetPeriodAsync("acct-coalesce", BillingPeriod.Of(Now), default))!.UsedCredits);
    }
}
