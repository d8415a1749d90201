using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class AlertsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(AlertsApiTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> ListAsync(string accountId, string? query = null) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AlertsApi>().ListAsync(r, accountId, default), query: query);

    [Fact]
    public async Task ListAsync_AfterAJobCrossedThresholds_ListsEveryAlertWithItsState()
    {
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("al-1", "acct-alerts", Now.AddMinutes(-1), pages: 45), "m1"), default);

        var response = await ListAsync("acct-alerts", "period=2026-11");

        Assert.Equal(200, response.Status);
        var items = response.Json.GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(2, items.Count);
        var eighty = Assert.Single(items, i => i.GetProperty("threshold").GetDecimal() == 80m);
        Assert.Equal("credits-used-percent", eighty.GetProperty("kind").GetString());
        Assert.Equal("90", eighty.GetProperty("value").GetRawText());
        Assert.Equal("al-1", eighty.GetProperty("jobId").GetString());
        Assert.Equal(Now, eighty.GetProperty("raisedAt").GetDateTimeOffset());
        Assert.True(eighty.GetProperty("published").GetBoolean());
        Assert.False(eighty.GetProperty("delivered").GetBoolean());
        Assert.False(eighty.GetProperty("passed").GetBoolean());
        Assert.True(Assert.Single(items, i => i.GetProperty("threshold").GetDecimal() == 50m).GetProperty("passed").GetBoolean());
    }

    [Fact]
    public async Task ListAsync_OtherPeriodUnknownAccountOrBadQuery_AnswersEmpty404Or400()
    {
        await _harness.Get<JobIngestion>().HandleAsync(new JobMessage(JobMessages.Create("al-2", "acct-alerts-2", Now.AddMinutes(-1), pages: 45), "m1"), default);

        Assert.Empty((await ListAsync("acct-alerts-2", "period=2026-10")).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(404, (await ListAsync("acct-alerts-none")).Status);
        Assert.NotEmpty((await ListAsync("acct-alerts-2", "period=2026")).ErrorsFor("period"));
    }
}
