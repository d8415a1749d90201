using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class AccountsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Day 16 of a 30-day month at 00:00: exactly half of November is left.
    private static readonly DateTimeOffset MidNovember = new(2026, 11, 16, 0, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    private AccountsApi Api => _harness.Get<AccountsApi>();

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(AccountsApiTests)), MidNovember);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> PutAsync(string accountId, string body) =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.PutAsync(r, accountId, default), "PUT", body);

    private Task<ApiResponse> GetAsync(string accountId) =>
        ApiCall.InvokeAsync(_harness.Services, _ => Api.GetAsync(accountId, default));

    private Task<ApiResponse> BuyAsync(string accountId, string body) =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.AddCreditsAsync(r, accountId, default), "POST", body);

    [Fact]
    public async Task PutAsync_NewAccount_Creates201AndThenChanges200()
    {
        var created = await PutAsync("acct-put", """{"plan":"starter"}""");
        _harness.Clock.Advance(TimeSpan.FromHours(1));
        var changed = await PutAsync("acct-put", """{"plan":"pro"}""");

        Assert.Equal(201, created.Status);
        Assert.Equal(200, changed.Status);
        Assert.Equal("pro", changed.Json.GetProperty("plan").GetString());
        var history = (await GetAsync("acct-put")).Json.GetProperty("planHistory");
        Assert.Equal(["starter", "pro"], history.EnumerateArray().Select(h => h.GetProperty("plan").GetString()));
    }

    [Fact]
    public async Task PutAsync_StarterTwice_GrantsTheSignUpBonusOnce()
    {
        await PutAsync("acct-bonus", """{"plan":"starter"}""");
        _harness.Clock.Advance(TimeSpan.FromMinutes(1));
        await PutAsync("acct-bonus", """{"plan":"pro"}""");
        _harness.Clock.Advance(TimeSpan.FromMinutes(1));
        var back = await PutAsync("acct-bonus", """{"plan":"starter"}""");

        Assert.Equal("100", back.Json.GetProperty("walletCredits").GetRawText());
    }

    [Fact]
    public async Task PutAsync_ChangeToProMidMonth_ProratesIncludedCredits()
    {
        await PutAsync("acct-prorate", """{"plan":"starter"}""");
        await PutAsync("acct-prorate", """{"plan":"pro"}""");

        var balance = await ApiCall.InvokeAsync(_harness.Services,
            r => _harness.Get<BalanceApi>().GetAsync(r, "acct-prorate", default), query: "period=2026-11");

        Assert.Equal("50000", balance.Json.GetProperty("includedCredits").GetRawText());
        Assert.Equal("50000", balance.Json.GetProperty("includedRemaining").GetRawText());
        Assert.Equal("pro", balance.Json.GetProperty("plan").GetString());
    }

    [Theory]
    [InlineData("""{"plan":"platinum"}""", "plan")]
    [InlineData("""{}""", "plan")]
    [InlineData("""{"plan":3}""", "plan")]
    [InlineData("[]", "$")]
    [InlineData("{", "$")]
    public async Task PutAsync_BadBody_Answers400NamingTheField(string body, string field)
    {
        var response = await PutAsync("acct-bad-body", body);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task PutAsync_BadAccountIdAndBadPlan_AnswersOneProblemNamingBoth()
    {
        var response = await PutAsync("acct with space", """{"plan":"platinum"}""");

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("accountId"));
        Assert.NotEmpty(response.ErrorsFor("plan"));
    }

    [Theory]
    [InlineData("acct with space")]
    [InlineData("acct/slash")]
    [InlineData("a:b")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public async Task Routes_BadAccountId_Answer400BeforeAnyStorageCall(string accountId)
    {
        Assert.NotEmpty((await PutAsync(accountId, """{"plan":"pro"}""")).ErrorsFor("accountId"));
        Assert.NotEmpty((await GetAsync(accountId)).ErrorsFor("accountId"));
        Assert.NotEmpty((await BuyAsync(accountId, """{"credits":1,"reference":"r"}""")).ErrorsFor("accountId"));
    }

    [Fact]
    public async Task GetAsync_UnknownAccount_Answers404()
    {
        var response = await GetAsync("acct-nobody");

        Assert.Equal(404, response.Status);
        Assert.Equal("application/problem+json", response.ContentType);
    }

    [Fact]
    public async Task AddCreditsAsync_RepeatedReference_AnswersTheFirstResultAndAddsOnce()
    {
        await PutAsync("acct-buy", """{"plan":"starter"}""");

        var first = await BuyAsync("acct-buy", """{"credits":250.5,"reference":"order-1"}""");
        var repeat = await BuyAsync("acct-buy", """{"credits":250.5,"reference":"order-1"}""");
        var other = await BuyAsync("acct-buy", """{"credits":999,"reference":"order-1"}""");

        Assert.Equal(200, first.Status);
        Assert.Equal("350.5", first.Json.GetProperty("walletCredits").GetRawText());
        Assert.Equal(200, repeat.Status);
        Assert.True(repeat.Json.GetProperty("repeated").GetBoolean());
        Assert.Equal("350.5", repeat.Json.GetProperty("walletCredits").GetRawText());
        Assert.Equal(409, other.Status);
        Assert.Equal("350.5", (await GetAsync("acct-buy")).Json.GetProperty("walletCredits").GetRawText());
    }

    [Fact]
    public async Task AddCreditsAsync_ConcurrentRepeats_AddOnce()
    {
        await PutAsync("acct-buy-race", """{"plan":"starter"}""");

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Task.Run(() => BuyAsync("acct-buy-race", """{"credits":40,"reference":"order-race"}"""))));

        Assert.All(answers, a => Assert.Equal(200, a.Status));
        Assert.Equal("140", (await GetAsync("acct-buy-race")).Json.GetProperty("walletCredits").GetRawText());
    }

    [Theory]
    [InlineData("""{"credits":0,"reference":"r1"}""", "credits")]
    [InlineData("""{"credits":-5,"reference":"r1"}""", "credits")]
    [InlineData("""{"reference":"r1"}""", "credits")]
    [InlineData("""{"credits":"ten","reference":"r1"}""", "credits")]
    [InlineData("""{"credits":10}""", "reference")]
    [InlineData("""{"credits":10,"reference":"bad ref!"}""", "reference")]
    [InlineData("""{"credits":10,"reference":"sign-up"}""", "reference")]
    [InlineData("""{"credits":10,"reference":"wallet"}""", "reference")]
    public async Task AddCreditsAsync_BadBody_Answers400NamingTheField(string body, string field)
    {
        var response = await BuyAsync("acct-buy-bad", body);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task AddCreditsAsync_UnknownAccount_Answers404()
    {
        Assert.Equal(404, (await BuyAsync("acct-buy-nobody", """{"credits":10,"reference":"r"}""")).Status);
    }

    [Theory]
    [InlineData("1e-28")]
    [InlineData("0.00001")]
    [InlineData("10.00005")]
    [InlineData("1.0000000000000000000000000000001")]
    public async Task AddCreditsAsync_AmountFinerThanTheLedgerKeeps_Answers400(string credits)
    {
        await PutAsync("acct-buy-fine", """{"plan":"pro"}""");

        var response = await BuyAsync("acct-buy-fine", $$"""{"credits":{{credits}},"reference":"fine-1"}""");

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("credits"));
    }

    [Fact]
    public async Task AddCreditsAsync_SmallestStep_IsAddedExactly()
    {
        await PutAsync("acct-buy-step", """{"plan":"pro"}""");
        var before = (await GetAsync("acct-buy-step")).Json.GetProperty("walletCredits").GetDecimal();

        var response = await BuyAsync("acct-buy-step", """{"credits":0.0001,"reference":"step-1"}""");

        Assert.Equal(200, response.Status);
        Assert.Equal(before + 0.0001m, (await GetAsync("acct-buy-step")).Json.GetProperty("walletCredits").GetDecimal());
    }
}
