using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Admission;

/// <summary>Admission's credits, spend cap and reservations over real Azurite, on one and on two instances, and what it costs in storage requests.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class RequestAdmissionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(RequestAdmissionTests));
    private readonly StorageRequestCounter _requests = new(TimeProvider.System);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await CreateAsync();

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    // Every storage request of the instance passes the counter, as in the throughput harness.
    private Task<MeteringHarness> CreateAsync(StorageRequestCounter? counter = null) =>
        MeteringHarness.CreateAsync(azurite, _names, Now, services =>
        {
            if (counter is not null)
            {
                services.AddSingleton(StorageAccount.FromConnectionString(azurite.ConnectionString, extra: [counter]));
            }
        }, new Dictionary<string, string?> { ["Metering:ReservationTtl"] = "00:01:00" });

    private async Task OnPlanAsync(string accountId, string plan, MeteringHarness? harness = null)
    {
        var h = harness ?? _harness;
        await h.Get<AccountRegistry>().SetPlanAsync(accountId, h.Get<PlanCatalog>().Get(plan), default);
    }

    private static Task<AdmissionDecision> ReserveAsync(MeteringHarness harness, string accountId, string requestId, decimal credits) =>
        harness.Get<RequestAdmission>().AdmitAsync(accountId, new ReservationRequest(requestId, credits), default);

    private Task<IngestionResult> CompleteAsync(string jobId, string accountId, int pages) =>
        _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create(jobId, accountId, Now.AddSeconds(-30), detail: "hi", pages: pages), jobId), default);

    private async Task<AccountState> StoredAsync(string accountId) => (await _harness.Get<AccountReads>().GetAccountAsync(accountId, default))!;

    [Fact]
    public async Task AdmitAsync_ReservationsRacingForTheLastCreditsOnTwoInstances_ReserveExactlyWhatIsLeft()
    {
        // A starter's 100 bonus credits, 16 callers on two instances each asking for 20: exactly five fit.
        await OnPlanAsync("acct-race", "starter");
        await using var second = await CreateAsync();
        var instances = new[] { _harness, second };

        var decisions = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => ReserveAsync(instances[i % 2], "acct-race", $"req-{i}", 20m))));

        Assert.Equal(5, decisions.Count(d => d.Status == AdmissionStatus.Admitted));
        Assert.All(decisions.Where(d => d.Status != AdmissionStatus.Admitted), d => Assert.Equal(AdmissionStatus.NoCredits, d.Status));
        var stored = await StoredAsync("acct-race");
        Assert.Equal(100m, stored.Reservations.Sum(r => r.Credits));
        Assert.Equal(decisions.Where(d => d.Reservation is not null).Select(d => d.Reservation!.RequestId).Order(), stored.Reservations.Select(r => r.RequestId).Order());
    }

    [Fact]
    public async Task AdmitAsync_JobCompletedWithTheRequestId_SettlesTheReservationWithoutCountingTwice()
    {
        await OnPlanAsync("acct-settle", "starter");
        Assert.Equal(AdmissionStatus.Admitted, (await ReserveAsync(_harness, "acct-settle", "req-a", 60m)).Status);
        var tooMuch = await ReserveAsync(_harness, "acct-settle", "req-b", 41m);

        // The job of req-a is billed its 60 credits (15 pages, hi): the reservation goes, the 60 are counted once.
        Assert.Equal(IngestionStatus.Billed, (await CompleteAsync("req-a", "acct-settle", 15)).Status);
        var afterSettling = await StoredAsync("acct-settle");
        var exactlyWhatIsLeft = await ReserveAsync(_harness, "acct-settle", "req-c", 40m);
        var oneMore = await ReserveAsync(_harness, "acct-settle", "req-d", 0.0001m);

        Assert.Equal(AdmissionStatus.NoCredits, tooMuch.Status);
        Assert.Empty(afterSettling.Reservations);
        Assert.Equal(40m, afterSettling.WalletRemaining);
        Assert.Equal(AdmissionStatus.Admitted, exactlyWhatIsLeft.Status);
        Assert.Equal(AdmissionStatus.NoCredits, oneMore.Status);
    }

    [Fact]
    public async Task AdmitAsync_SameRequestIdAgain_HoldsOneReservationAndCountsOnce()
    {
        await OnPlanAsync("acct-again", "starter");
        var first = await ReserveAsync(_harness, "acct-again", "req-1", 30m);
        var again = await ReserveAsync(_harness, "acct-again", "req-1", 30m);

        var stored = await StoredAsync("acct-again");
        Assert.Equal(first.Reservation, again.Reservation);
        Assert.Single(stored.Reservations);
        Assert.Equal(9, again.Remaining);
    }

    [Fact]
    public async Task AdmitAsync_UnsettledReservation_StopsCountingWhenItExpires()
    {
        await OnPlanAsync("acct-expire", "starter");
        var all = await ReserveAsync(_harness, "acct-expire", "req-1", 100m);
        _harness.Clock.Advance(TimeSpan.FromSeconds(59));
        var beforeExpiry = await ReserveAsync(_harness, "acct-expire", "req-2", 1m);
        var withoutReservation = await _harness.Get<RequestAdmission>().AdmitAsync("acct-expire", default);
        _harness.Clock.Advance(TimeSpan.FromSeconds(1));      // 60 s: the configured time-to-live
        var atExpiry = await ReserveAsync(_harness, "acct-expire", "req-3", 100m);

        Assert.Equal(AdmissionStatus.Admitted, all.Status);
        Assert.Equal(Now.AddMinutes(1), all.Reservation!.ExpiresAt);
        Assert.Equal(AdmissionStatus.NoCredits, beforeExpiry.Status);
        Assert.Equal(AdmissionStatus.NoCredits, withoutReservation.Status);
        Assert.Equal(AdmissionStatus.Admitted, atExpiry.Status);
        Assert.Equal(["req-3"], (await StoredAsync("acct-expire")).Reservations.Select(r => r.RequestId));
    }

    [Fact]
    public async Task AdmitAsync_SpendCapUnderConcurrentAdmissionOnTwoInstances_NeverReservesPastIt()
    {
        await OnPlanAsync("acct-cap-race", "pro");
        await _harness.Get<SpendCaps>().SetAsync("acct-cap-race", new SpendCap(100m, SpendCapBasis.Credits), default);
        await using var second = await CreateAsync();
        var instances = new[] { _harness, second };

        var decisions = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() => ReserveAsync(instances[i % 2], "acct-cap-race", $"req-{i}", 30m))));

        Assert.Equal(3, decisions.Count(d => d.Status == AdmissionStatus.Admitted));
        Assert.All(decisions.Where(d => d.Status != AdmissionStatus.Admitted), d => Assert.Equal(AdmissionStatus.SpendCapReached, d.Status));
        Assert.Equal(90m, (await StoredAsync("acct-cap-race")).Reservations.Sum(r => r.Credits));
    }

    [Fact]
    public async Task AdmitAsync_CapReachedByBilledJobs_RefusesFlagsAlertsOnceAndAdmitsWhenRaised()
    {
        await OnPlanAsync("acct-cap", "pro");
        await _harness.Get<SpendCaps>().SetAsync("acct-cap", new SpendCap(100m, SpendCapBasis.Credits), default);
        var admission = _harness.Get<RequestAdmission>();
        var beforeCap = await admission.AdmitAsync("acct-cap", default);
        await CompleteAsync("cap-1", "acct-cap", 15);   // 60
        await CompleteAsync("cap-2", "acct-cap", 15);   // 120: past the cap
        await CompleteAsync("cap-3", "acct-cap", 15);   // still billed
        var refused = await admission.AdmitAsync("acct-cap", default);
        var raised = await _harness.Get<SpendCaps>().SetAsync("acct-cap", new SpendCap(500m, SpendCapBasis.Credits), default);
        var afterRaise = await admission.AdmitAsync("acct-cap", default);

        var ledger = _harness.Get<AccountReads>();
        Assert.Equal(AdmissionStatus.Admitted, beforeCap.Status);
        Assert.Equal(AdmissionStatus.SpendCapReached, refused.Status);
        Assert.Equal(new SpendCap(100m, SpendCapBasis.Credits), refused.SpendCap);
        var flags = await Task.WhenAll(new[] { "cap-1", "cap-2", "cap-3" }.Select(async j => (await ledger.GetUsageAsync("acct-cap", j, default))!.PastSpendCap));
        Assert.Equal(new[] { false, true, true }, flags);
        var alert = Assert.Single(await _harness.Get<AlertOutbox>().ListAsync("acct-cap", "2026-11", default), a => a.Kind == AlertKinds.SpendCapReached);
        Assert.Equal("cap-2", alert.JobId);
        Assert.Equal((180m, false), (raised!.Measured, raised.Reached));
        Assert.Equal(AdmissionStatus.Admitted, afterRaise.Status);
    }

    [Fact]
    public async Task AdmitAsync_CapReachedByAnotherInstancesCommits_IsRefusedDespiteWhatThisInstanceRemembers()
    {
        await OnPlanAsync("acct-cap-elsewhere", "pro");
        await _harness.Get<SpendCaps>().SetAsync("acct-cap-elsewhere", new SpendCap(50m, SpendCapBasis.Credits), default);
        await using var other = await CreateAsync();
        var warm = await _harness.Get<RequestAdmission>().AdmitAsync("acct-cap-elsewhere", default);

        // The other instance bills 60 credits; this one still remembers the row from before, with 0 used.
        await other.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("elsewhere-1", "acct-cap-elsewhere", Now.AddSeconds(-30), detail: "hi", pages: 15), "elsewhere-1"), default);
        var afterCommitElsewhere = await _harness.Get<RequestAdmission>().AdmitAsync("acct-cap-elsewhere", default);

        Assert.Equal(AdmissionStatus.Admitted, warm.Status);
        Assert.Equal(AdmissionStatus.SpendCapReached, afterCommitElsewhere.Status);
    }

    [Fact]
    public async Task AdmitAsync_WarmAccount_CostsOneConditionalWriteAndAnUnlimitedOneNothing()
    {
        await using var counted = await CreateAsync(_requests);
        var admission = counted.Get<RequestAdmission>();
        await OnPlanAsync("acct-warm", "pro", counted);
        await OnPlanAsync("acct-open", "enterprise", counted);
        await admission.AdmitAsync("acct-warm", default);
        await admission.AdmitAsync("acct-open", default);

        async Task<long> Cost(Func<Task> admit)
        {
            _requests.Reset();
            await admit();
            return _requests.Total;
        }

        var warm = await Cost(() => admission.AdmitAsync("acct-warm", default));
        var unlimited = await Cost(() => admission.AdmitAsync("acct-open", default));
        var reserving = await Cost(() => admission.AdmitAsync("acct-warm", new ReservationRequest("req-1", 5m), default));
        var unlimitedReserving = await Cost(() => admission.AdmitAsync("acct-open", new ReservationRequest("req-2", 5m), default));
        // A commit of this instance leaves its ledger cache current, and admission's merge leaves it current for the next commit.
        var commit = await Cost(() => counted.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("warm-1", "acct-warm", Now.AddSeconds(-5)), "warm-1"), default));
        var afterCommit = await Cost(() => admission.AdmitAsync("acct-warm", default));
        var nextCommit = await Cost(() => counted.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("warm-2", "acct-warm", Now.AddSeconds(-4)), "warm-2"), default));

        Assert.Equal((1, 0, 1, 1), (warm, unlimited, reserving, unlimitedReserving));
        Assert.Equal((1, 1), (afterCommit, nextCommit));
        Assert.InRange(commit, 1, 4); // the first commit loads the account's rows (account, period and day, in parallel)
    }
}
