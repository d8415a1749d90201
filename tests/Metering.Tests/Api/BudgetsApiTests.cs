using System.Text.Json.Nodes;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Budgets;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>The budget routes and what admission and the balance answer with budgets, over real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BudgetsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(BudgetsApiTests));
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, _names, Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private async Task CreateAsync(string accountId, string plan) =>
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get(plan), default);

    private Task<ApiResponse> PutAsync(string accountId, BudgetScope scope, string id, string body) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<BudgetsApi>().PutAsync(r, accountId, scope, id, default), "PUT", body);

    private Task<ApiResponse> AdmitAsync(string accountId, string query, string? body = null) =>
        ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<AdmissionApi>().AdmitAsync(r, accountId, default), "POST", body, query);

    [Fact]
    public async Task PutAsync_DocsExample_AnswersAsDocumented()
    {
        await CreateAsync("acct-bud", "pro");

        var answer = await PutAsync("acct-bud", BudgetScope.Project, "search-app",
            Http.DocExamples.RequestBody(new("PUT /api/accounts/{accountId}/projects/{projectId}/budget", 0, "bash")).ToJsonString());

        Assert.True(JsonNode.DeepEquals(Http.DocExamples.Get(new("PUT /api/accounts/{accountId}/projects/{projectId}/budget")), JsonNode.Parse(answer.Body)), answer.Body);
    }

    [Fact]
    public async Task PutAsync_BadFields_Answers400NamingEach()
    {
        await CreateAsync("acct-bud-bad", "pro");

        var bad = await PutAsync("acct-bud-bad", BudgetScope.ApiKey, "key 1", """{"monthlyCredits":-1,"requestsPerMinute":1.5,"alertThresholds":[0,50,50,1001,1.234]}""");
        var tooMany = await PutAsync("acct-bud-bad", BudgetScope.Project, "p", """{"monthlyCredits":1,"alertThresholds":[1,2,3,4,5,6]}""");
        var missing = await PutAsync("acct-bud-bad", BudgetScope.Project, "p", "{}");

        Assert.Equal((400, 400, 400), (bad.Status, tooMany.Status, missing.Status));
        Assert.All(new[] { "apiKeyId", "monthlyCredits", "requestsPerMinute", "alertThresholds[0]", "alertThresholds[2]", "alertThresholds[3]", "alertThresholds[4]" },
            field => Assert.NotEmpty(bad.ErrorsFor(field)));
        Assert.Empty(bad.ErrorsFor("alertThresholds[1]"));
        Assert.Contains("must hold at most 5 percentages; got 6.", tooMany.ErrorsFor("alertThresholds"));
        Assert.Contains("is required.", missing.ErrorsFor("monthlyCredits"));
    }

    [Fact]
    public async Task Routes_GetListDelete_ShowTheBudgetAndThenNothing()
    {
        await CreateAsync("acct-bud-crud", "pro");
        await PutAsync("acct-bud-crud", BudgetScope.ApiKey, "k1", """{"monthlyCredits":20}""");
        await PutAsync("acct-bud-crud", BudgetScope.Project, "p1", """{"monthlyCredits":10.50}""");
        var api = _harness.Get<BudgetsApi>();

        var get = await ApiCall.InvokeAsync(_harness.Services, _ => api.GetAsync("acct-bud-crud", BudgetScope.ApiKey, "k1", default));
        var list = await ApiCall.InvokeAsync(_harness.Services, _ => api.ListAsync("acct-bud-crud", default));
        var delete = await ApiCall.InvokeAsync(_harness.Services, _ => api.DeleteAsync("acct-bud-crud", BudgetScope.ApiKey, "k1", default), "DELETE");
        var gone = await ApiCall.InvokeAsync(_harness.Services, _ => api.GetAsync("acct-bud-crud", BudgetScope.ApiKey, "k1", default));
        var unknown = await ApiCall.InvokeAsync(_harness.Services, _ => api.ListAsync("acct-bud-nobody", default));

        Assert.Equal((200, 200, 204, 404, 404), (get.Status, list.Status, delete.Status, gone.Status, unknown.Status));
        Assert.Equal(("apiKey", 20m, "[80,100]"), (get.Json.GetProperty("scope").GetString(), get.Json.GetProperty("monthlyCredits").GetDecimal(), get.Json.GetProperty("alertThresholds").GetRawText()));
        Assert.Equal(["project:p1", "apiKey:k1"],
            list.Json.GetProperty("items").EnumerateArray().Select(i => $"{i.GetProperty("scope").GetString()}:{i.GetProperty("id").GetString()}"));
        Assert.Equal("10.5", list.Json.GetProperty("items")[0].GetProperty("monthlyCredits").GetRawText());
    }

    [Fact]
    public async Task AdmitAsync_NamingAProjectPastItsBudget_Answers402WithItsReasonAndTheBalanceShowsIt()
    {
        await CreateAsync("acct-bud-adm", "pro");
        await PutAsync("acct-bud-adm", BudgetScope.Project, "reports", """{"monthlyCredits":5}""");
        const string Body = """{"requestId":"req-1","domain":"document.invoice","detail":"hi","pages":1}""";   // 4 credits

        var first = await AdmitAsync("acct-bud-adm", "projectId=reports", Body);
        var second = await AdmitAsync("acct-bud-adm", "projectId=reports", Body.Replace("req-1", "req-2", StringComparison.Ordinal));
        var fitted = await AdmitAsync("acct-bud-adm", "projectId=reports", Body.Replace("req-1", "req-3", StringComparison.Ordinal).Replace("}", ",\"fit\":true}", StringComparison.Ordinal));
        var badId = await AdmitAsync("acct-bud-adm", "projectId=a%20b&apiKeyId=");
        var balance = await ApiCall.InvokeAsync(_harness.Services, r => _harness.Get<BalanceApi>().GetAsync(r, "acct-bud-adm", default));

        Assert.Equal((200, 402, 200, 400), (first.Status, second.Status, fitted.Status, badId.Status));
        Assert.Equal("project-budget-reached", second.Json.GetProperty("reason").GetString());
        Assert.Contains("Project 'reports' has reached its monthly budget of 5 credits", second.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        // 1 credit left in the budget: hi on flex (2) and auto on standard (2) do not fit; auto on flex (1) does.
        Assert.Equal(("auto", "flex", 1m), (fitted.Json.GetProperty("fit").GetProperty("detail").GetString(),
            fitted.Json.GetProperty("fit").GetProperty("serviceTier").GetString(), fitted.Json.GetProperty("reservation").GetProperty("credits").GetDecimal()));
        Assert.All(new[] { "projectId", "apiKeyId" }, f => Assert.NotEmpty(badId.ErrorsFor(f)));
        var budget = balance.Json.GetProperty("budgets")[0];
        Assert.Equal(("reports", 0m, 5m, 0m, true),
            (budget.GetProperty("id").GetString(), budget.GetProperty("usedCredits").GetDecimal(), budget.GetProperty("reservedCredits").GetDecimal(),
             budget.GetProperty("remainingCredits").GetDecimal(), budget.GetProperty("reached").GetBoolean()));
    }
}
