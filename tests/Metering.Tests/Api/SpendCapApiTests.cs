using System.Text.Json;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class SpendCapApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(SpendCapApiTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private SpendCapApi Api => _harness.Get<SpendCapApi>();

    private Task<ApiResponse> PutAsync(string accountId, string body) =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.PutAsync(r, accountId, default), "PUT", body);

    private Task<ApiResponse> GetAsync(string accountId) =>
        ApiCall.InvokeAsync(_harness.Services, _ => Api.GetAsync(accountId, default), "GET");

    private async Task CreateAsync(string accountId, string plan) =>
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get(plan), default);

    [Fact]
    public async Task PutAsync_ThenGetAndDelete_SetsReadsAndRemovesTheCapWithTheMonthsMeasure()
    {
        await CreateAsync("acct-cap-api", "pro");
        await _harness.Get<JobIngestion>().HandleAsync(
            new JobMessage(JobMessages.Create("cap-api-1", "acct-cap-api", Now.AddMinutes(-1), detail: "hi", pages: 15), "cap-api-1"), default);

        var put = await PutAsync("acct-cap-api", """{"monthlyCredits":50,"appliesTo":"credits"}""");
        var read = await GetAsync("acct-cap-api");
        var deleted = await ApiCall.InvokeAsync(_harness.Services, _ => Api.DeleteAsync("acct-cap-api", default), "DELETE");
        var afterDelete = await GetAsync("acct-cap-api");

        Assert.Equal(200, put.Status);
        Assert.Equal(put.Body, read.Body);
        Assert.Equal((50m, "credits", "2026-11", 60m, true), (
            read.Json.GetProperty("monthlyCredits").GetDecimal(), read.Json.GetProperty("appliesTo").GetString(),
            read.Json.GetProperty("period").GetString(), read.Json.GetProperty("measured").GetDecimal(), read.Json.GetProperty("reached").GetBoolean()));
        Assert.Equal(204, deleted.Status);
        Assert.Equal(JsonValueKind.Null, afterDelete.Json.GetProperty("monthlyCredits").ValueKind);
        Assert.False(afterDelete.Json.GetProperty("reached").GetBoolean());
    }

    [Theory]
    [InlineData("""{"appliesTo":"credits"}""", "monthlyCredits", "is required.")]
    [InlineData("""{"monthlyCredits":0}""", "monthlyCredits", "must be greater than 0 and at most 1,000,000,000.")]
    [InlineData("""{"monthlyCredits":1000000001}""", "monthlyCredits", "must be greater than 0 and at most 1,000,000,000.")]
    [InlineData("""{"monthlyCredits":"ten"}""", "monthlyCredits", "must be a number.")]
    [InlineData("""{"monthlyCredits":10,"appliesTo":"all"}""", "appliesTo", "must be credits or overage.")]
    public async Task PutAsync_BadBody_Answers400NamingTheFieldAndReason(string body, string field, string reason)
    {
        await CreateAsync("acct-cap-bad", "starter");

        var answer = await PutAsync("acct-cap-bad", body);

        Assert.Equal(400, answer.Status);
        Assert.Equal([reason], answer.ErrorsFor(field));
    }

    [Fact]
    public async Task PutAsync_SameCapTwentyTimesAtOnce_AllAnswerTheSameCap()
    {
        await CreateAsync("acct-cap-many", "pro");

        var answers = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => PutAsync("acct-cap-many", """{"monthlyCredits":75,"appliesTo":"overage"}"""))));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Single(answers.Select(a => a.Body).Distinct());
        Assert.Equal("overage", (await GetAsync("acct-cap-many")).Json.GetProperty("appliesTo").GetString());
    }

    [Fact]
    public async Task Routes_UnknownAccountOrBadId_Answer404Or400()
    {
        Assert.Equal(404, (await PutAsync("acct-cap-nobody", """{"monthlyCredits":1}""")).Status);
        Assert.Equal(404, (await GetAsync("acct-cap-nobody")).Status);
        Assert.NotEmpty((await GetAsync("bad/id")).ErrorsFor("accountId"));
    }
}
