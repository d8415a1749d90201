using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Models;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Api;

/// <summary>PUT/GET/DELETE /api/accounts/{accountId}/models/{modelId}: answers and problem documents.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomModelsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private MeteringHarness _harness = null!;

    private CustomModelsApi Api => _harness.Get<CustomModelsApi>();

    public async Task InitializeAsync() =>
        _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(CustomModelsApiTests)), new DateTimeOffset(2026, 11, 26, 12, 0, 0, TimeSpan.Zero));

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task PutAsync_ProUpToItsAllowance_AnswersTheCountThenRefusesNamingThePlan()
    {
        await OnPlanAsync("acct-api", "pro");
        ApiResponse last = null!;
        for (var i = 0; i < 5; i++)
        {
            last = await CallAsync(() => Api.PutAsync("acct-api", $"m{i}", default));
        }

        var refused = await CallAsync(() => Api.PutAsync("acct-api", "m5", default));

        Assert.Equal(201, last.Status);
        Assert.Equal(5, last.Json.GetProperty("registered").GetInt32());
        Assert.Equal(5, last.Json.GetProperty("allowance").GetInt32());
        Assert.Equal(8m, last.Json.GetProperty("creditsPerPage").GetDecimal());
        Assert.Equal(409, refused.Status);
        Assert.Equal("Plan 'pro' allows 5 custom models and account 'acct-api' has 5; unregister one first.", refused.Json.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task PutAsync_Starter_RefusedAsPreConfiguredOnly()
    {
        await OnPlanAsync("acct-st", "starter");

        var refused = await CallAsync(() => Api.PutAsync("acct-st", "m0", default));

        Assert.Equal(409, refused.Status);
        Assert.StartsWith("Plan 'starter' runs pre-configured models only", refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetAsync_Enterprise_AllowanceIsNull()
    {
        await OnPlanAsync("acct-en", "enterprise");
        await CallAsync(() => Api.PutAsync("acct-en", "m0", default));

        var read = await CallAsync(() => Api.GetAsync("acct-en", "m0", default));

        Assert.Equal(200, read.Status);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, read.Json.GetProperty("allowance").ValueKind);
        Assert.Equal("m0", read.Json.GetProperty("modelId").GetString());
    }

    [Theory]
    [InlineData("Acme")]
    [InlineData("..")]
    [InlineData("a b")]
    public async Task PutAsync_BadModelId_NamesModelId(string modelId)
    {
        var response = await CallAsync(() => Api.PutAsync("acct-any", modelId, default));

        Assert.Equal(400, response.Status);
        Assert.True(response.Json.GetProperty("errors").TryGetProperty("modelId", out _));
    }

    [Fact]
    public async Task AdmitAsync_ModelTheAccountDoesNotOwn_RefusedWithoutCounting()
    {
        await OnPlanAsync("acct-adm", "starter");
        var admissions = _harness.Get<AdmissionApi>();

        var refused = await ApiCall.InvokeAsync(_harness.Services, r => admissions.AdmitAsync(r, "acct-adm", default), "POST", query: "modelId=acme");
        var badId = await ApiCall.InvokeAsync(_harness.Services, r => admissions.AdmitAsync(r, "acct-adm", default), "POST", query: "modelId=ACME");
        var plain = await ApiCall.InvokeAsync(_harness.Services, r => admissions.AdmitAsync(r, "acct-adm", default), "POST");

        Assert.Equal(403, refused.Status);
        Assert.Contains("'acme'", refused.Json.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(400, badId.Status);
        Assert.Equal(200, plain.Status);
        // Starter allows 10 a minute: the refused requests were not counted.
        Assert.Equal(9, plain.Json.GetProperty("remaining").GetInt32());
    }

    private Task<ApiResponse> CallAsync(Func<Task<Microsoft.AspNetCore.Http.IResult>> call) =>
        ApiCall.InvokeAsync(_harness.Services, _ => call());

    private async Task OnPlanAsync(string accountId, string plan) =>
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get(plan), default);
}
