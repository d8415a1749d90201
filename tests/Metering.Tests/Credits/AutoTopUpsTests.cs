using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Credits;

/// <summary>The automatic top-up loop over real Azurite: jobs on two instances cross the threshold, one request; a purchase settles it; a failure alerts; the monthly maximum holds.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AutoTopUpsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(AutoTopUpsTests));
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static Task BillAsync(MeteringHarness harness, string accountId, string jobId) =>
        // One page at hi detail: 4 credits.
        harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create(jobId, accountId, Now.AddMinutes(-1), detail: "hi", pages: 1), $"m-{jobId}"), default);

    private async Task<AutoTopUp?> TopUpAsync(string accountId) => (await _harness.Get<AutoTopUps>().GetAsync(accountId, default)).TopUp;

    private async Task<List<UsageAlert>> AlertsAsync(string accountId, string kind) =>
        [.. (await _harness.Get<AlertOutbox>().ListAsync(accountId, "2026-11", default)).Where(a => a.Kind == kind)];

    [Fact]
    public async Task Loop_ConcurrentJobsOnTwoInstancesCrossOnce_OneRequestPurchaseSettlesFailureAlertsMaximumHolds()
    {
        // Starter: the 100-credit sign-up bonus. Below 50, ask for what reaches 200, at most 300 in the month.
        const string Account = "acct-topup";
        await _harness.Get<AccountRegistry>().SetPlanAsync(Account, _harness.Get<PlanCatalog>().Get("starter"), default);
        Assert.True((await _harness.Get<AutoTopUps>().SetAsync(Account, new AutoTopUp(50, 200, 300), default)).Found);
        await using var second = await MeteringHarness.CreateAsync(azurite, _names, Now);
        var instances = new[] { _harness, second };

        // 20 jobs of 4 credits at once over two instances: 100 → 20. Exactly one of them takes it from 52 to 48.
        await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => BillAsync(instances[i % 2], Account, $"job-{i}"))));

        var requested = Assert.Single(await AlertsAsync(Account, AlertKinds.RechargeRequested));
        var pending = await TopUpAsync(Account);
        Assert.Equal(("topup-2026-11-1", 152m), (requested.ThresholdKey, requested.Value));
        Assert.True(requested.Published, "the request went to the alerts queue");
        Assert.Equal(("topup-2026-11-1", 152m, 152m), (pending!.PendingReference, pending.PendingCredits, pending.RequestedInMonth));

        // While it is pending, more jobs below the threshold ask for nothing more.
        await BillAsync(_harness, Account, "job-pending");
        Assert.Single(await AlertsAsync(Account, AlertKinds.RechargeRequested));

        // The payment system answers with a purchase carrying the reference: settled, credits back to 168.
        var (bought, _) = await _harness.Get<CreditPurchases>().AddAsync(Account, 152, "topup-2026-11-1", default);
        Assert.Equal(PurchaseStatus.Added, bought);
        Assert.Null((await TopUpAsync(Account))!.PendingReference);

        // Spending again crosses again (52 → 48): a second request, capped by what the month has left (300 − 152).
        for (var i = 0; i < 30; i++)
        {
            await BillAsync(second, Account, $"again-{i}");
        }

        var again = (await AlertsAsync(Account, AlertKinds.RechargeRequested)).Single(a => a.ThresholdKey == "topup-2026-11-2");
        Assert.Equal(148m, again.Value);
        Assert.Equal(300m, (await TopUpAsync(Account))!.RequestedInMonth);

        // It fails: an alert, nothing pending, and its credits no longer count against the month.
        var (status, failedAlert) = await _harness.Get<AutoTopUps>().FailAsync(Account, "topup-2026-11-2", "card declined", default);
        var (repeat, _) = await _harness.Get<AutoTopUps>().FailAsync(Account, "topup-2026-11-2", "card declined", default);
        var afterFailure = await TopUpAsync(Account);

        Assert.Equal((TopUpFailureStatus.Failed, TopUpFailureStatus.NotPending), (status, repeat));
        Assert.Equal(("topup-2026-11-2", 148m), (failedAlert!.ThresholdKey, failedAlert.Value));
        Assert.Single(await AlertsAsync(Account, AlertKinds.RechargeFailed));
        Assert.Equal(((string?)null, 152m), (afterFailure!.PendingReference, afterFailure.RequestedInMonth));
    }

    [Fact]
    public async Task SetAsync_UnknownAccount_IsNotFound() =>
        Assert.False((await _harness.Get<AutoTopUps>().SetAsync("acct-topup-none", new AutoTopUp(1, 2, 3), default)).Found);

    [Fact]
    public async Task TopUpApi_SetCrossFailOverHttp_AnswersTheViewAndPublishesTheFailure()
    {
        const string Account = "acct-topup-http";
        await _harness.Get<AccountRegistry>().SetPlanAsync(Account, _harness.Get<PlanCatalog>().Get("starter"), default);
        var api = _harness.Get<Http.Credits.TopUpApi>();
        var bad = await ApiCall.InvokeAsync(_harness.Services, r => api.PutAsync(r, Account, default), "PUT", """{"threshold":90,"target":90,"monthlyMaximum":1}""");
        var put = await ApiCall.InvokeAsync(_harness.Services, r => api.PutAsync(r, Account, default), "PUT", """{"threshold":90,"target":150,"monthlyMaximum":500}""");
        for (var i = 0; i < 3; i++)
        {
            await BillAsync(_harness, Account, $"h-{i}"); // 100 → 88: crosses 90 at the third job
        }

        var pending = await ApiCall.InvokeAsync(_harness.Services, _ => api.GetAsync(Account, default));
        var failed = await ApiCall.InvokeAsync(_harness.Services, r => api.FailAsync(r, Account, default), "POST",
            """{"reference":"topup-2026-11-1","reason":"card declined"}""");

        Assert.Equal(400, bad.Status);
        Assert.NotEmpty(bad.ErrorsFor("target"));
        Assert.Equal((200, 90m), (put.Status, put.Json.GetProperty("threshold").GetDecimal()));
        Assert.Equal(("topup-2026-11-1", 62m), (pending.Json.GetProperty("pendingReference").GetString(), pending.Json.GetProperty("pendingCredits").GetDecimal()));
        Assert.Equal((200, 0m), (failed.Status, failed.Json.GetProperty("requestedCredits").GetDecimal()));
        Assert.True(Assert.Single(await AlertsAsync(Account, AlertKinds.RechargeFailed)).Published);
    }
}
