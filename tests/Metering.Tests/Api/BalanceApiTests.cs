using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class BalanceApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(BalanceApiTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> GetAsync(string accountId, string? query = null) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<BalanceApi>().GetAsync(r, accountId, default), query: query);

    [Fact]
    public async Task GetAsync_StarterWithJobs_AnswersEveryField()
    {
        var ingestion = _harness.Get<JobIngestion>();
        await ingestion.HandleAsync(new JobMessage(JobMessages.Create("b1", "acct-bal", Now.AddMinutes(-5), detail: "hi", grounding: true, pages: 10, serviceTier: "priority"), "m1"), default);
        await ingestion.HandleAsync(new JobMessage(JobMessages.Create("b2", "acct-bal", Now.AddMinutes(-4), domain: "video.clip", durationSeconds: 3600, serviceTier: "flex"), "m2"), default);

        var json = (await GetAsync("acct-bal")).Json;

        // 6 × 10 × 1.8 = 108 and 10 × 12 × 0.5 = 60: 168 used, 100 from the bonus, 68 owed.
        Assert.Equal("acct-bal", json.GetProperty("accountId").GetString());
        Assert.Equal("starter", json.GetProperty("plan").GetString());
        Assert.Equal("2026-11", json.GetProperty("period").GetString());
        Assert.Equal("168", json.GetProperty("usedCredits").GetRawText());
        Assert.Equal("1.68", json.GetProperty("usedUsd").GetRawText());
        Assert.Equal(2, json.GetProperty("jobs").GetInt32());
        Assert.Equal("0", json.GetProperty("includedCredits").GetRawText());
        Assert.Equal("0", json.GetProperty("walletCredits").GetRawText());
        Assert.Equal("0", json.GetProperty("overageCredits").GetRawText());
        Assert.Equal("0", json.GetProperty("overageUsd").GetRawText());
        Assert.Equal("68", json.GetProperty("owedCredits").GetRawText());
        Assert.Equal("108", json.GetProperty("byFamily").GetProperty("document").GetRawText());
        Assert.Equal("60", json.GetProperty("byFamily").GetProperty("video").GetRawText());
        Assert.Equal(0, json.GetProperty("overLimitJobs").GetInt32());
        Assert.Equal(10, json.GetProperty("rateLimit").GetProperty("limit").GetInt32());
        Assert.Equal(60, json.GetProperty("rateLimit").GetProperty("windowSeconds").GetInt32());
        Assert.Equal(Now, json.GetProperty("updatedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task GetAsync_Enterprise_HasNullIncludedCreditsAndNoRateLimit()
    {
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-bal-ent", _harness.Get<PlanCatalog>().Get("enterprise"), default);

        var json = (await GetAsync("acct-bal-ent", "period=2026-10")).Json;

        Assert.Equal("2026-10", json.GetProperty("period").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("includedCredits").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("includedRemaining").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, json.GetProperty("rateLimit").ValueKind);
        Assert.Equal("0", json.GetProperty("usedCredits").GetRawText());
    }

    [Theory]
    [InlineData("period=2026-13")]
    [InlineData("period=26-11")]
    [InlineData("period=november")]
    public async Task GetAsync_BadPeriod_Answers400NamingPeriod(string query)
    {
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-bal-q", _harness.Get<PlanCatalog>().Default, default);

        var response = await GetAsync("acct-bal-q", query);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("period"));
    }

    [Fact]
    public async Task GetAsync_UnknownAccountOrBadId_Answers404Or400()
    {
        Assert.Equal(404, (await GetAsync("acct-bal-none")).Status);
        Assert.Equal(400, (await GetAsync("bad id")).Status);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("..")]
    public async Task GetAsync_DotSegmentAccountId_Answers400(string accountId)
    {
        var response = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<BalanceApi>().GetAsync(r, accountId, default));

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("accountId"));
    }
}
