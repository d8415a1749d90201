using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Webhooks;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class AlertSubscriptionsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(AlertSubscriptionsApiTests));
    private MeteringHarness _harness = null!;

    private AlertSubscriptionsApi Api => _harness.Get<AlertSubscriptionsApi>();

    public async Task InitializeAsync()
    {
        _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-sub", _harness.Get<PlanCatalog>().Get("pro"), default);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private Task<ApiResponse> CreateAsync(string body, string accountId = "acct-sub") =>
        ApiCall.InvokeAsync(_harness.Services, r => Api.CreateAsync(r, accountId, default), "POST", body);

    private Task<ApiResponse> ListAsync(string accountId = "acct-sub") =>
        ApiCall.InvokeAsync(_harness.Services, _ => Api.ListAsync(accountId, default));

    private Task<ApiResponse> DeleteAsync(string id) =>
        ApiCall.InvokeAsync(_harness.Services, _ => Api.DeleteAsync("acct-sub", id, default), "DELETE");

    [Fact]
    public async Task CreateListDelete_Subscription_ShowsTheSecretOnlyOnCreate()
    {
        var created = await CreateAsync("""{"kind":"credits-used-percent","threshold":75,"webhookUrl":"https://hooks.example.com/usage","reference":"hook-usage"}""");
        var id = created.Json.GetProperty("id").GetString()!;
        var listed = await ListAsync();
        var deleted = await DeleteAsync(id);
        var deletedAgain = await DeleteAsync(id);

        Assert.Equal(201, created.Status);
        Assert.StartsWith("whsec_", created.Json.GetProperty("secret").GetString(), StringComparison.Ordinal);
        var item = Assert.Single(listed.Json.GetProperty("items").EnumerateArray());
        Assert.Equal(id, item.GetProperty("id").GetString());
        Assert.False(item.TryGetProperty("secret", out _));
        Assert.DoesNotContain("whsec_", listed.Body, StringComparison.Ordinal);
        Assert.Equal(204, deleted.Status);
        Assert.Equal(404, deletedAgain.Status);
        Assert.Empty((await ListAsync()).Json.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Create_Subscription_AddsItsThresholdToWhatCommitsWatch()
    {
        await CreateAsync("""{"kind":"credits-used","threshold":1234.5,"webhookUrl":"https://hooks.example.com/a","reference":"hook-a"}""");

        var account = await _harness.Get<AccountRegistry>().ReadAsync("acct-sub", default);

        Assert.Contains(account!.AlertThresholds, t => t is { Kind: "credits-used", Threshold: 1234.5m });
    }

    [Theory]
    [InlineData("""{"kind":"credits-used","threshold":10,"webhookUrl":"http://hooks.example.com/a","reference":"hook-bad"}""", "webhookUrl")]
    [InlineData("""{"kind":"credits-used","threshold":10,"webhookUrl":"https://10.0.0.5/a","reference":"hook-bad"}""", "webhookUrl")]
    [InlineData("""{"kind":"credits-used","threshold":10,"webhookUrl":"https://169.254.169.254/latest","reference":"hook-bad"}""", "webhookUrl")]
    [InlineData("""{"kind":"credits-used","threshold":10,"webhookUrl":"http://127.0.0.1:9000/a","reference":"hook-bad"}""", "webhookUrl")]
    [InlineData("""{"kind":"credits-used","threshold":10,"reference":"hook-bad"}""", "webhookUrl")]
    [InlineData("""{"kind":"credits-exhausted","threshold":10,"webhookUrl":"https://hooks.example.com/a","reference":"hook-bad"}""", "kind")]
    [InlineData("""{"threshold":10,"webhookUrl":"https://hooks.example.com/a","reference":"hook-bad"}""", "kind")]
    [InlineData("""{"kind":"credits-used-percent","threshold":150,"webhookUrl":"https://hooks.example.com/a","reference":"hook-bad"}""", "threshold")]
    [InlineData("""{"kind":"spend-usd","threshold":-1,"webhookUrl":"https://hooks.example.com/a","reference":"hook-bad"}""", "threshold")]
    [InlineData("""{"kind":"spend-usd","webhookUrl":"https://hooks.example.com/a","reference":"hook-bad"}""", "threshold")]
    [InlineData("""{"kind":"credits-used","threshold":10,"webhookUrl":"https://hooks.example.com/a"}""", "reference")]
    [InlineData("""{"kind":"credits-used","threshold":10,"webhookUrl":"https://hooks.example.com/a","reference":"a b"}""", "reference")]
    public async Task Create_BadSubscription_Answers400NamingTheField(string body, string field)
    {
        var response = await CreateAsync(body);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor(field));
    }

    [Fact]
    public async Task Create_SameReferenceAndBody_AnswersTheFirstSubscriptionAndAddsNothing()
    {
        const string Body = """{"kind":"credits-used","threshold":500,"webhookUrl":"https://hooks.example.com/retry","reference":"hook-retry"}""";

        var first = await CreateAsync(Body);
        var retry = await CreateAsync(Body);

        Assert.Equal((201, 200), (first.Status, retry.Status));
        Assert.Equal(first.Json.GetProperty("id").GetString(), retry.Json.GetProperty("id").GetString());
        Assert.Equal(first.Json.GetProperty("secret").GetString(), retry.Json.GetProperty("secret").GetString());
        Assert.Equal((false, true), (first.Json.GetProperty("repeated").GetBoolean(), retry.Json.GetProperty("repeated").GetBoolean()));
        Assert.Single((await ListAsync()).Json.GetProperty("items").EnumerateArray());
        var account = await _harness.Get<AccountRegistry>().ReadAsync("acct-sub", default);
        Assert.Single(account!.AlertThresholds);
    }

    [Theory]
    [InlineData("""{"kind":"credits-used","threshold":501,"webhookUrl":"https://hooks.example.com/retry","reference":"hook-retry"}""")]
    [InlineData("""{"kind":"spend-usd","threshold":500,"webhookUrl":"https://hooks.example.com/retry","reference":"hook-retry"}""")]
    [InlineData("""{"kind":"credits-used","threshold":500,"webhookUrl":"https://hooks.example.com/other","reference":"hook-retry"}""")]
    public async Task Create_SameReferenceOtherBody_Answers409AndKeepsTheFirst(string other)
    {
        var first = await CreateAsync("""{"kind":"credits-used","threshold":500,"webhookUrl":"https://hooks.example.com/retry","reference":"hook-retry"}""");

        var conflict = await CreateAsync(other);

        Assert.Equal((201, 409), (first.Status, conflict.Status));
        Assert.Contains("hook-retry", conflict.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        var item = Assert.Single((await ListAsync()).Json.GetProperty("items").EnumerateArray());
        Assert.Equal(first.Json.GetProperty("id").GetString(), item.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Create_RetryAtTheLimit_AnswersTheFirstSubscriptionAndCountsOnce()
    {
        static string Body(int i) => $$"""{"kind":"credits-used","threshold":{{i + 1}},"webhookUrl":"https://hooks.example.com/{{i}}","reference":"limit-{{i}}"}""";
        for (var i = 0; i < AlertSubscriptions.MaxPerAccount; i++)
        {
            Assert.Equal(201, (await CreateAsync(Body(i))).Status);
        }

        var retry = await CreateAsync(Body(0));
        var beyond = await CreateAsync(Body(AlertSubscriptions.MaxPerAccount));

        Assert.Equal((200, 409), (retry.Status, beyond.Status));
    }

    [Fact]
    public async Task Create_UnknownAccount_Answers404()
    {
        var response = await CreateAsync("""{"kind":"credits-used","threshold":10,"webhookUrl":"https://hooks.example.com/a","reference":"hook-a"}""", "acct-sub-none");

        Assert.Equal(404, response.Status);
    }

    [Theory]
    [InlineData("sub_123")]
    [InlineData("../../etc")]
    [InlineData("sub_ZZZZZZZZZZZZZZZZZZZZZZZZ")]
    public async Task Delete_MalformedId_Answers400(string id)
    {
        var response = await DeleteAsync(id);

        Assert.Equal(400, response.Status);
        Assert.NotEmpty(response.ErrorsFor("subscriptionId"));
    }

    [Fact]
    public async Task Create_SixtyConcurrentRequestsFromTwoInstances_NeverAnswer500()
    {
        // A second core over the same tables stands for another instance: in-process serialisation alone cannot help it.
        await using var other = await MeteringHarness.CreateAsync(azurite, _names, Now);
        await _harness.Get<AccountRegistry>().SetPlanAsync("acct-sub-race", _harness.Get<PlanCatalog>().Get("pro"), default);

        var answers = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
        {
            var harness = i % 2 == 0 ? _harness : other;
            var body = $$"""{"kind":"credits-used","threshold":{{i + 1}},"webhookUrl":"https://hooks.example.com/{{i}}","reference":"race-{{i}}"}""";
            return ApiCall.InvokeAsync(harness.Services, r => harness.Get<AlertSubscriptionsApi>().CreateAsync(r, "acct-sub-race", default), "POST", body);
        }));

        Assert.DoesNotContain(answers, a => a.Status >= 500 && a.Status != 503);
        Assert.All(answers.Where(a => a.Status == 503), a => Assert.True(a.Headers.ContainsKey("Retry-After")));
        var created = answers.Count(a => a.Status == 201);
        Assert.Equal(AlertSubscriptions.MaxPerAccount, created);
        Assert.All(answers.Where(a => a.Status != 201), a => Assert.Equal(409, a.Status));
        var account = await _harness.Get<AccountRegistry>().ReadAsync("acct-sub-race", default);
        Assert.Equal(created, account!.AlertThresholds.Count);
        Assert.Equal(created, (await _harness.Get<AlertSubscriptions>().ListAsync("acct-sub-race", default)).Count);
    }

    [Fact]
    public async Task Create_UrlWithSurroundingSpaces_IsStoredTrimmed()
    {
        var created = await CreateAsync("""{"kind":"credits-used","threshold":10,"webhookUrl":"  https://hooks.example.com/trim  ","reference":"hook-trim"}""");

        Assert.Equal(201, created.Status);
        Assert.Equal("https://hooks.example.com/trim", created.Json.GetProperty("webhookUrl").GetString());
        Assert.Contains((await _harness.Get<AlertSubscriptions>().ListAsync("acct-sub", default)), s => s.WebhookUrl == "https://hooks.example.com/trim");
    }

    [Theory]
    [InlineData("https://hooks.example.com:99999/a", "port")]
    [InlineData("https://hooks..example.com/a", "empty label")]
    public async Task Create_MalformedUrl_NamesTheActualProblem(string url, string fragment)
    {
        var response = await CreateAsync($$"""{"kind":"credits-used","threshold":10,"webhookUrl":"{{url}}","reference":"hook-bad"}""");

        Assert.Equal(400, response.Status);
        Assert.Contains(fragment, Assert.Single(response.ErrorsFor("webhookUrl")), StringComparison.Ordinal);
    }
}
