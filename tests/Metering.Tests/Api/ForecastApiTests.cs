using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class ForecastApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(ForecastApiTests)), Now.AddDays(-10));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> ForecastAsync(string accountId) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<ForecastApi>().GetAsync(r, accountId, default));

    [Fact]
    public async Task GetAsync_StarterAccount_ProjectsFromItsCreationAndWatchesWallet()
    {
        // Created on the 1st by its first job; ten days later 40 credits (20 invoices of 2) used: 4 a day. The sign-up
        // bonus (100) is the wallet, 60 left of it: it runs out in 15 days, on the 26th.
        await _harness.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("f-0", "acct-forecast", _harness.Clock.GetUtcNow(), pages: 1), "m0"), default);
        _harness.Clock.SetUtcNow(Now);
        var jobs = Enumerable.Range(1, 19).Select(i => new JobMessage(JobMessages.Create($"f-{i}", "acct-forecast", Now.AddMinutes(-i), pages: 1), $"m{i}")).ToList();
        await _harness.Get<JobIngestion>().HandleTogetherAsync(jobs);

        var response = await ForecastAsync("acct-forecast");

        Assert.Equal(200, response.Status);
        var json = response.Json;
        Assert.Equal("starter", json.GetProperty("plan").GetString());
        Assert.Equal(40m, json.GetProperty("usedCredits").GetDecimal());
        Assert.Equal("included-and-wallet", json.GetProperty("basis").GetString());
        Assert.Equal(60m, json.GetProperty("creditsLeft").GetDecimal());
        Assert.Equal(4m, json.GetProperty("creditsPerDay").GetDecimal());
        Assert.Equal(120m, json.GetProperty("projectedCredits").GetDecimal());
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), json.GetProperty("runsOutAt").GetDateTimeOffset());
        Assert.False(json.GetProperty("runOut").GetBoolean());
    }

    [Fact]
    public async Task GetAsync_AccountCreatedByLateJobs_MeasuresItsPaceFromItsFirstDayOfUsage()
    {
        // Created today (the 11th) by jobs that ran on the 7th to the 10th, 8 credits a day: the pace is 32 credits over
        // the four days since the 7th (8 a day), not over the day since the account row appeared.
        _harness.Clock.SetUtcNow(Now);
        var jobs = Enumerable.Range(0, 16).Select(i => new JobMessage(
            JobMessages.Create($"late-{i}", "acct-forecast-late", Now.AddDays(-4 + (i / 4)).AddHours(1), pages: 1), $"l{i}")).ToList();
        await _harness.Get<JobIngestion>().HandleTogetherAsync(jobs);

        var response = await ForecastAsync("acct-forecast-late");

        Assert.Equal((32m, 8m), (response.Json.GetProperty("usedCredits").GetDecimal(), response.Json.GetProperty("creditsPerDay").GetDecimal()));
    }

    [Fact]
    public async Task GetAsync_UnknownAccount_Answers404()
    {
        Assert.Equal(404, (await ForecastAsync("acct-forecast-none")).Status);
    }
}
