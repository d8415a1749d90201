using System.Text.Json;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Alerts;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Webhooks;

/// <summary>The hourly watch that raises grant-expiring alerts for accounts that bill nothing, over real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class GrantExpiryWatchTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(GrantExpiryWatchTests));
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task IdleAccountAsync(string accountId, int subscribedDays, params (string Reference, TimeSpan ExpiresIn)[] grants)
    {
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get("pro"), default);
        await _harness.Get<AlertSubscriptions>().CreateAsync(accountId, "hook-expiry", AlertKinds.GrantExpiring, subscribedDays, "https://hooks.example.com/x", default);
        foreach (var (reference, expiresIn) in grants)
        {
            var (status, _) = await _harness.Get<CreditGrants>().GrantAsync(
                accountId, new GrantRequest(reference, 40, "promotion", Now + expiresIn, null, "ops@example.com"), default);
            Assert.Equal(GrantStatus.Added, status);
        }
    }

    private async Task<List<JsonElement>> AlertMessagesAsync(string accountId)
    {
        var messages = (await _harness.Get<MeteringTables>().Alerts.ReceiveMessagesAsync(32)).Value;
        return [.. messages.Select(m => JsonDocument.Parse(m.Body.ToString()).RootElement.Clone())
            .Where(m => m.GetProperty("accountId").GetString() == accountId)];
    }

    [Fact]
    public async Task RunAsync_IdleAccountWithAGrantExpiringWithinTheSubscribedDays_RaisesAndPublishesItOnceAcrossRuns()
    {
        await IdleAccountAsync("acct-idle", 3, ("soon", TimeSpan.FromDays(2)), ("later", TimeSpan.FromDays(10)));
        var watch = _harness.Get<GrantExpiryWatch>();

        var first = await watch.RunAsync(default);
        var second = await watch.RunAsync(default);

        Assert.Equal((1, 0), (first, second));
        var alert = Assert.Single(await _harness.Get<AlertOutbox>().ListAsync("acct-idle", "2026-11", default));
        Assert.Equal((AlertKinds.GrantExpiring, "3|soon", 40m), (alert.Kind, alert.ThresholdKey, alert.Value));
        var published = Assert.Single(await AlertMessagesAsync("acct-idle"));
        Assert.Equal(AlertKinds.GrantExpiring, published.GetProperty("kind").GetString());
    }

    [Fact]
    public async Task RunAsync_TwoWatchesAtOnce_RaiseEachAlertOnce()
    {
        await IdleAccountAsync("acct-idle-race", 7, ("a", TimeSpan.FromDays(1)), ("b", TimeSpan.FromDays(5)));
        await using var other = await MeteringHarness.CreateAsync(azurite, _names, Now);

        var runs = await Task.WhenAll(_harness.Get<GrantExpiryWatch>().RunAsync(default), other.Get<GrantExpiryWatch>().RunAsync(default));

        Assert.Equal(2, runs.Sum());
        var alerts = await _harness.Get<AlertOutbox>().ListAsync("acct-idle-race", "2026-11", default);
        Assert.Equal(["7|a", "7|b"], alerts.Select(a => a.ThresholdKey).Order(StringComparer.Ordinal));
    }
}
