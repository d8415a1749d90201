using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Models;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Ingestion;

/// <summary>Jobs naming a custom model: always billed, flagged when the account had not registered it.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomModelJobTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    private JobIngestion Ingestion => _harness.Get<JobIngestion>();

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(CustomModelJobTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task HandleAsync_RegisteredModel_BilledAtTheCustomPriceAndNotFlagged()
    {
        await OnPlanAsync("acct-reg", "pro");
        await _harness.Get<CustomModelRegistry>().RegisterAsync("acct-reg", "acme-v1", default);

        var result = await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-reg", "acct-reg", Now.AddMinutes(-1), detail: "lo", pages: 2, modelId: "acme-v1"), "m1"), default);

        Assert.Equal(IngestionStatus.Billed, result.Status);
        Assert.Equal(16m, result.Credits);
        var record = await _harness.Get<AccountReads>().GetUsageAsync("acct-reg", "job-reg", default);
        Assert.Equal("acme-v1", record!.ModelId);
        Assert.False(record.UnregisteredModel);
        Assert.Equal("CustomModel", record.Rule);
        Assert.DoesNotContain(await AlertsAsync("acct-reg"), a => a.Kind == AlertKinds.UnregisteredModel);
    }

    [Fact]
    public async Task HandleAsync_UnregisteredModelTwice_BothBilledAndFlaggedWithOneAlert()
    {
        await OnPlanAsync("acct-unreg", "pro");

        var first = await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-u1", "acct-unreg", Now.AddMinutes(-2), modelId: "ghost"), "m1"), default);
        var second = await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-u2", "acct-unreg", Now.AddMinutes(-1), modelId: "ghost"), "m2"), default);

        Assert.Equal(IngestionStatus.Billed, first.Status);
        Assert.Equal(IngestionStatus.Billed, second.Status);
        Assert.Equal(8m, second.Credits);
        Assert.True((await _harness.Get<AccountReads>().GetUsageAsync("acct-unreg", "job-u1", default))!.UnregisteredModel);
        Assert.True((await _harness.Get<AccountReads>().GetUsageAsync("acct-unreg", "job-u2", default))!.UnregisteredModel);
        var alert = Assert.Single(await AlertsAsync("acct-unreg"), a => a.Kind == AlertKinds.UnregisteredModel);
        Assert.Equal("job-u1", alert.JobId);
    }

    [Fact]
    public async Task HandleAsync_StarterCustomModelWithoutId_BilledAndFlagged()
    {
        await OnPlanAsync("acct-start", "starter");

        var result = await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-s1", "acct-start", Now.AddMinutes(-1), customModel: true), "m1"), default);

        Assert.Equal(IngestionStatus.Billed, result.Status);
        Assert.Equal(8m, result.Credits);
        Assert.True((await _harness.Get<AccountReads>().GetUsageAsync("acct-start", "job-s1", default))!.UnregisteredModel);
    }

    [Fact]
    public async Task HandleAsync_ProCustomModelFlagWithoutId_NotFlagged()
    {
        await OnPlanAsync("acct-flag", "pro");

        await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-f1", "acct-flag", Now.AddMinutes(-1), customModel: true), "m1"), default);

        Assert.False((await _harness.Get<AccountReads>().GetUsageAsync("acct-flag", "job-f1", default))!.UnregisteredModel);
    }

    [Fact]
    public async Task HandleAsync_BadModelId_RejectedNamingModelId()
    {
        var result = await Ingestion.HandleAsync(new JobMessage(JobMessages.Create("job-bad", "acct-bad", Now.AddMinutes(-1), modelId: "Not Valid"), "m1"), default);

        Assert.Equal(IngestionStatus.Rejected, result.Status);
        var rejected = Assert.Single(await _harness.Get<RejectedJobStore>().ListAsync(_harness.Get<Microsoft.Extensions.Options.IOptions<Configuration.MeteringOptions>>().Value.JobQueue, 10, default));
        Assert.Contains(rejected.Reasons, r => r.Field == "modelId");
    }

    private async Task OnPlanAsync(string accountId, string plan) =>
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get(plan), default);

    private async Task<IReadOnlyList<UsageAlert>> AlertsAsync(string accountId) =>
        await _harness.Get<AlertOutbox>().ListAsync(accountId, BillingPeriod.Of(Now).ToString(), default);
}
