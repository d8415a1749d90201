using Polly;
using Polly.Simmy;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Ingestion;

[Collection(AzuriteCollection.Name)]
public sealed class JobIngestionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private static readonly BillingPeriod November = BillingPeriod.Of(Now);
    private readonly TestNames _names = azurite.UniqueNames(nameof(JobIngestionTests));
    private MeteringHarness _harness = null!;

    private JobIngestion Ingestion => _harness.Get<JobIngestion>();

    private AccountReads Ledger => _harness.Get<AccountReads>();

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task HandleAsync_SameMessageThreeTimesSequentially_BillsOnce()
    {
        var body = JobMessages.Create("job-seq-1", "acct-seq", Now.AddMinutes(-1), detail: "hi", grounding: true, pages: 3);

        var first = await Ingestion.HandleAsync(new JobMessage(body, "m1"), default);
        var second = await Ingestion.HandleAsync(new JobMessage(body, "m2"), default);
        var third = await Ingestion.HandleAsync(new JobMessage(body, "m3"), default);

        Assert.Equal(IngestionStatus.Billed, first.Status);
        Assert.Equal(IngestionStatus.Duplicate, second.Status);
        Assert.Equal(IngestionStatus.Duplicate, third.Status);
        var balance = await Ledger.GetPeriodAsync("acct-seq", November, default);
        Assert.NotNull(balance);
        Assert.Equal(18m, balance.UsedCredits);
        Assert.Equal(1, balance.Jobs);
    }

    [Fact]
    public async Task HandleAsync_SameMessageThreeTimesConcurrently_BillsOnce()
    {
        var body = JobMessages.Create("job-conc-1", "acct-conc", Now.AddMinutes(-1), pages: 5);

        var results = await Task.WhenAll(Enumerable.Range(0, 3).Select(i =>
            Task.Run(() => Ingestion.HandleAsync(new JobMessage(body, $"m{i}"), default))));

        Assert.Single(results, r => r.Status == IngestionStatus.Billed);
        Assert.Equal(2, results.Count(r => r.Status == IngestionStatus.Duplicate));
        var balance = await Ledger.GetPeriodAsync("acct-conc", November, default);
        Assert.Equal(10m, balance!.UsedCredits);
        Assert.Equal(1, balance.Jobs);
    }

    [Fact]
    public async Task HandleAsync_200JobsBy16ConcurrentWorkers_BalanceIsExactSumOfQuotes()
    {
        var (messages, expected) = DistinctJobs("acct-many", 200);

        await RunWorkersAsync(16, messages, _ => Ingestion);

        var balance = await Ledger.GetPeriodAsync("acct-many", November, default);
        Assert.Equal(expected, balance!.UsedCredits);
        Assert.Equal(200, balance.Jobs);
    }

    [Fact]
    public async Task HandleAsync_200JobsByTwoProcessorInstances_BalanceIsExactSumOfQuotes()
    {
        await using var second = await MeteringHarness.CreateAsync(azurite, _names, Now);
        var instances = new[] { Ingestion, second.Get<JobIngestion>() };
        var (messages, expected) = DistinctJobs("acct-two-hosts", 200);

        await RunWorkersAsync(16, messages, worker => instances[worker % 2]);

        var balance = await Ledger.GetPeriodAsync("acct-two-hosts", November, default);
        Assert.Equal(expected, balance!.UsedCredits);
        Assert.Equal(200, balance.Jobs);
    }

    [Fact]
    public async Task HandleAsync_FaultAfterCommitBeforeAcknowledgement_RedeliveryCountsNothingTwice()
    {
        var crashes = 0;
        await using var faulty = await MeteringHarness.CreateAsync(azurite, _names, Now, services =>
            services.AddResiliencePipeline(StoragePipelines.AfterCommitKey, (b, context) => StoragePipelines.AddTransientRetry(b, context).AddChaosFault(new()
            {
                InjectionRate = 1,
                EnabledGenerator = _ => ValueTask.FromResult(Interlocked.Increment(ref crashes) == 1),
                FaultGenerator = _ => ValueTask.FromResult<Exception?>(new InvalidOperationException("Simulated crash before acknowledgement")),
            })));
        var ingestion = faulty.Get<JobIngestion>();
        var body = JobMessages.Create("job-crash-1", "acct-crash", Now.AddMinutes(-2), detail: "hi", pages: 2);

        await Assert.ThrowsAsync<InvalidOperationException>(() => ingestion.HandleAsync(new JobMessage(body, "m1"), default));
        var redelivered = await ingestion.HandleAsync(new JobMessage(body, "m1"), default);

        Assert.Equal(IngestionStatus.Duplicate, redelivered.Status);
        var balance = await Ledger.GetPeriodAsync("acct-crash", November, default);
        Assert.Equal(8m, balance!.UsedCredits);
        Assert.Equal(1, balance.Jobs);
    }

    [Fact]
    public async Task HandleAsync_JobCommittedByAnAttemptThatTimedOut_IsRecognisedAsDuplicate()
    {
        var body = JobMessages.Create("job-timeout-1", "acct-timeout", Now.AddMinutes(-1), pages: 4);
        var parsed = JobMessageParser.ParseJob(body).Value!;
        var quote = PriceBook.LoadEmbedded().Quote(parsed.Usage).Quote;
        // The first attempt reached storage and committed, but its caller never saw the answer.
        await _harness.Get<AccountLedger>().CommitAsync("acct-timeout", [new PricedJob(parsed, quote)], default);

        var retry = await Ingestion.HandleAsync(new JobMessage(body, "m1"), default);

        Assert.Equal(IngestionStatus.Duplicate, retry.Status);
        Assert.Equal(8m, (await Ledger.GetPeriodAsync("acct-timeout", November, default))!.UsedCredits);
    }

    [Fact]
    public async Task HandleAsync_SameJobIdWithDifferentContent_IsRejectedAsConflictAndNotBilled()
    {
        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-reuse", "acct-reuse", Now.AddMinutes(-1), pages: 1), "m1"), default);

        var reused = await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-reuse", "acct-reuse", Now.AddMinutes(-1), pages: 50), "m2"), default);

        Assert.Equal(IngestionStatus.Rejected, reused.Status);
        var record = await _harness.Get<RejectedJobStore>().GetAsync(_names.QueuePrefix + "-jobs", "m2", default);
        Assert.NotNull(record);
        Assert.Equal(RejectionKind.Conflict, record.Kind);
        Assert.Equal("jobId", Assert.Single(record.Reasons).Field);
        Assert.Equal(2m, (await Ledger.GetPeriodAsync("acct-reuse", November, default))!.UsedCredits);
    }

    [Theory]
    [InlineData("p2", "k1")]
    [InlineData("p1", null)]
    [InlineData(null, null)]
    public async Task HandleAsync_SameJobWithOtherAttribution_IsAConflictAndNotBilledAgain(string? projectId, string? apiKeyId)
    {
        var account = $"acct-reattr-{projectId}-{apiKeyId}";
        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-attr", account, Now.AddMinutes(-1), projectId: "p1", apiKeyId: "k1"), "m1"), default);

        var resent = await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-attr", account, Now.AddMinutes(-1), projectId: projectId, apiKeyId: apiKeyId), "m2"), default);
        var same = await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-attr", account, Now.AddMinutes(-1), projectId: "p1", apiKeyId: "k1"), "m3"), default);

        Assert.Equal(IngestionStatus.Rejected, resent.Status);
        Assert.Equal(RejectionKind.Conflict, (await _harness.Get<RejectedJobStore>().GetAsync(_names.QueuePrefix + "-jobs", "m2", default))!.Kind);
        Assert.Equal(IngestionStatus.Duplicate, same.Status);
        Assert.Equal(2m, (await Ledger.GetPeriodAsync(account, November, default))!.UsedCredits);
    }

    [Fact]
    public async Task HandleAsync_AttributedJob_CostsWhatTheSameJobWithoutAttributionCosts()
    {
        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("plain", "acct-attr-price", Now.AddMinutes(-2), detail: "hi", pages: 3), "m1"), default);
        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("named", "acct-attr-price", Now.AddMinutes(-1), detail: "hi", pages: 3,
            projectId: "p1", apiKeyId: "k1", endUserId: "u1", tags: new Dictionary<string, string> { ["team"] = "x" }), "m2"), default);

        var records = await Ledger.ListUsageAsync("acct-attr-price", November, 10, null, default);

        Assert.Equal(2, records.Records.Count);
        Assert.Equal(records.Records[0].Credits, records.Records[1].Credits);
        var named = Assert.Single(records.Records, r => r.JobId == "named");
        Assert.Equal(("p1", "k1", "u1", "x"), (named.ProjectId, named.ApiKeyId, named.EndUserId, named.Tags["team"]));
        var plain = Assert.Single(records.Records, r => r.JobId == "plain");
        Assert.Equal((null, null, null, 0), (plain.ProjectId, plain.ApiKeyId, plain.EndUserId, plain.Tags.Count));
    }

    [Fact]
    public async Task HandleAsync_LoneSurrogateEscapeInAField_IsRejectedNamingTheField()
    {
        var body = JobMessages.Create("job-surrogate", "acct-surrogate", Now.AddMinutes(-1), detail: "x", pages: 1).Replace("\"detail\":\"x\"", "\"detail\":\"\\ud800\"", StringComparison.Ordinal);

        var result = await Ingestion.HandleAsync(new JobMessage(body, "m-surrogate"), default);

        Assert.Equal(IngestionStatus.Rejected, result.Status);
        var record = await _harness.Get<RejectedJobStore>().GetAsync(_names.QueuePrefix + "-jobs", "m-surrogate", default);
        Assert.Equal("detail", Assert.Single(record!.Reasons).Field);
        Assert.Equal(body, record.Body);
    }

    [Fact]
    public async Task HandleAsync_LastMillisecondOfMonthAndFirstInstantOfNext_GoToTheirOwnPeriods()
    {
        _harness.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 0, 1, 0, TimeSpan.Zero));
        var lastOfNovember = new DateTimeOffset(2026, 11, 30, 23, 59, 59, 999, TimeSpan.Zero);
        var firstOfDecember = new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-b1", "acct-boundary", lastOfNovember, pages: 1), "m1"), default);
        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-b2", "acct-boundary", firstOfDecember, pages: 2), "m2"), default);

        Assert.Equal(2m, (await Ledger.GetPeriodAsync("acct-boundary", November, default))!.UsedCredits);
        Assert.Equal(4m, (await Ledger.GetPeriodAsync("acct-boundary", November.Next(), default))!.UsedCredits);
    }

    [Fact]
    public async Task HandleAsync_CompletedAtWithOffset_IsBilledInItsUtcMonth()
    {
        _harness.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        // 2026-11-30T22:30-03:00 is 2026-12-01T01:30Z: December.
        var body = JobMessages.Create("job-offset", "acct-offset", new DateTimeOffset(2026, 11, 30, 22, 30, 0, TimeSpan.FromHours(-3)));

        await Ingestion.HandleAsync(new JobMessage(body, "m1"), default);

        Assert.Null(await Ledger.GetPeriodAsync("acct-offset", November, default));
        Assert.Equal(2m, (await Ledger.GetPeriodAsync("acct-offset", November.Next(), default))!.UsedCredits);
    }

    [Fact]
    public async Task HandleAsync_LateJob_IsBilledIntoThePreviousPeriod()
    {
        _harness.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 20, 12, 0, 0, TimeSpan.Zero));
        var late = JobMessages.Create("job-late", "acct-late", new DateTimeOffset(2026, 11, 16, 12, 0, 0, TimeSpan.Zero), pages: 3);

        var result = await Ingestion.HandleAsync(new JobMessage(late, "m1"), default);

        Assert.Equal(IngestionStatus.Billed, result.Status);
        Assert.Equal(6m, (await Ledger.GetPeriodAsync("acct-late", November, default))!.UsedCredits);
        Assert.Null(await Ledger.GetPeriodAsync("acct-late", November.Next(), default));
    }

    [Theory]
    [InlineData(-36 * 24 * 60, false)]
    [InlineData(-35 * 24 * 60 + 1, true)]
    [InlineData(4, true)]
    [InlineData(6, false)]
    public async Task HandleAsync_CompletedAtWindow_AcceptsUpTo35DaysBackAnd5MinutesAhead(int minutesFromNow, bool billed)
    {
        var jobId = $"job-window-{minutesFromNow}";
        var body = JobMessages.Create(jobId, "acct-window", Now.AddMinutes(minutesFromNow));

        var result = await Ingestion.HandleAsync(new JobMessage(body, jobId), default);

        Assert.Equal(billed ? IngestionStatus.Billed : IngestionStatus.Rejected, result.Status);
        if (!billed)
        {
            var record = await _harness.Get<RejectedJobStore>().GetAsync(_names.QueuePrefix + "-jobs", jobId, default);
            Assert.Equal("completedAt", Assert.Single(record!.Reasons).Field);
        }
    }

    [Fact]
    public async Task HandleAsync_StarterBeyondItsBonus_RecordsTheShortfallAsOwed()
    {
        // 30 pages at auto = 60 credits, twice: the 100-credit sign-up bonus covers 100, 20 are owed.
        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-s1", "acct-starter", Now.AddMinutes(-3), pages: 30), "m1"), default);
        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-s2", "acct-starter", Now.AddMinutes(-2), pages: 30), "m2"), default);

        var balance = await Ledger.GetPeriodAsync("acct-starter", November, default);
        var account = await Ledger.GetAccountAsync("acct-starter", default);
        Assert.Equal(120m, balance!.UsedCredits);
        Assert.Equal(100m, balance.WalletUsed);
        Assert.Equal(20m, balance.OwedCredits);
        Assert.Equal(0m, balance.OverageCredits);
        Assert.Equal("starter", account!.Plans.Current);
        Assert.Equal(0m, account.WalletRemaining);
    }

    [Fact]
    public async Task HandleAsync_ProPastIncludedAndWalletCredits_BillsOverage()
    {
        await using var harness = await MeteringHarness.CreateAsync(azurite, _names, November.Start.AddDays(-1));
        var registry = harness.Get<AccountRegistry>();
        var plans = harness.Get<PlanCatalog>();
        await registry.SetPlanAsync("acct-pro", plans.Get("starter"), default);   // 100 bonus credits in the wallet
        harness.Clock.SetUtcNow(November.Start);
        await registry.SetPlanAsync("acct-pro", plans.Get("pro"), default);       // the whole of November included
        harness.Clock.SetUtcNow(Now);
        var ingestion = harness.Get<JobIngestion>();

        // 25,012 pages at hi = 100,048 credits: 100,000 included, 48 from the wallet.
        await ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-p1", "acct-pro", Now.AddMinutes(-3), detail: "hi", pages: 25_012), "m1"), default);
        // 35 pages at auto = 70 credits: the wallet's last 52, then 18 overage.
        await ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-p2", "acct-pro", Now.AddMinutes(-2), pages: 35), "m2"), default);

        var balance = await Ledger.GetPeriodAsync("acct-pro", November, default);
        Assert.Equal(100_118m, balance!.UsedCredits);
        Assert.Equal(100_000m, balance.IncludedUsed);
        Assert.Equal(100m, balance.WalletUsed);
        Assert.Equal(18m, balance.OverageCredits);
        Assert.Equal(0m, balance.OwedCredits);
        var usage = await Ledger.GetUsageAsync("acct-pro", "job-p2", default);
        Assert.Equal(52m, usage!.WalletCredits);
        Assert.Equal(18m, usage.OverageCredits);
        Assert.Equal("pro", usage.Plan);
    }

    [Fact]
    public async Task HandleAsync_EnterpriseAccount_HasNoCreditOrRateLimits()
    {
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-ent", _harness.Get<PlanCatalog>().Get("enterprise"), default);
        var minute = new DateTimeOffset(2026, 11, 26, 19, 0, 0, TimeSpan.Zero);
        var messages = Enumerable.Range(0, 30)
            .Select(i => new JobMessage(JobMessages.Create($"job-e{i}", "acct-ent", minute.AddSeconds(i), detail: "hi", pages: 1_000), $"m{i}"))
            .ToList();

        await Ingestion.HandleTogetherAsync(messages);

        var balance = await Ledger.GetPeriodAsync("acct-ent", November, default);
        Assert.Equal(120_000m, balance!.UsedCredits);
        Assert.Equal(0m, balance.OwedCredits + balance.OverageCredits + balance.WalletUsed + balance.IncludedUsed);
        Assert.Equal(0, balance.OverLimitJobs);
    }

    [Fact]
    public async Task HandleAsync_MoreJobsInOneMinuteThanThePlanAllows_CountsTheExcessAsOverLimitAndStillBills()
    {
        var minute = new DateTimeOffset(2026, 11, 26, 18, 0, 0, TimeSpan.Zero);
        var messages = Enumerable.Range(0, 12)
            .Select(i => new JobMessage(JobMessages.Create($"job-r{i}", "acct-rate", minute.AddSeconds(i * 4), detail: "lo"), $"m{i}"))
            .Append(new JobMessage(JobMessages.Create("job-r-next", "acct-rate", minute.AddMinutes(1), detail: "lo"), "m-next"))
            .ToList();

        foreach (var message in messages)
        {
            await Ingestion.HandleAsync(message, default);
        }

        var balance = await Ledger.GetPeriodAsync("acct-rate", November, default);
        Assert.Equal(13, balance!.Jobs);
        Assert.Equal(13m, balance.UsedCredits);
        Assert.Equal(2, balance.OverLimitJobs);
        Assert.True((await Ledger.GetUsageAsync("acct-rate", "job-r11", default))!.OverLimit);
        Assert.False((await Ledger.GetUsageAsync("acct-rate", "job-r-next", default))!.OverLimit);
    }

    [Fact]
    public async Task HandleAsync_EveryUsageRecord_NamesThePriceBookThatPricedIt()
    {
        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-book", "acct-book", Now.AddMinutes(-1)), "m1"), default);

        var usage = await Ledger.GetUsageAsync("acct-book", "job-book", default);

        Assert.Equal("2026-11", usage!.PriceBook);
    }

    private static (List<JobMessage> Messages, decimal Expected) DistinctJobs(string accountId, int count)
    {
        var book = PriceBook.LoadEmbedded();
        var domains = new[] { ("document.invoice", "hi", true), ("image.photo", "lo", false), ("healthcare.intake", "auto", true), ("document.markdown", "hi", false) };
        var tiers = new[] { "flex", "priority", null, "standard" };
        var messages = new List<JobMessage>();
        var expected = 0m;
        for (var i = 0; i < count; i++)
        {
            var (domain, detail, grounding) = domains[i % domains.Length];
            var tier = tiers[i / 4 % tiers.Length];
            var pages = (i % 7) + 1;
            var body = JobMessages.Create($"job-{accountId}-{i}", accountId, Now.AddSeconds(-i * 7), domain, detail, grounding, pages, serviceTier: tier);
            var usage = JobMessageParser.ParseJob(body).Value!.Usage;
            expected += book.Quote(usage).Quote.Credits;
            messages.Add(new JobMessage(body, $"m{i}"));
        }

        return (messages, expected);
    }

    private static async Task RunWorkersAsync(int workers, List<JobMessage> messages, Func<int, JobIngestion> ingestionFor)
    {
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            int index;
            while ((index = Interlocked.Increment(ref next)) < messages.Count)
            {
                var result = await ingestionFor(worker).HandleAsync(messages[index], default);
                Assert.Equal(IngestionStatus.Billed, result.Status);
            }
        })));
    }
}
