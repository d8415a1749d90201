using Microsoft.Extensions.Logging.Abstractions;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Models;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Models;

/// <summary>Registering custom models within the plan's allowance, over real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class CustomModelRegistryTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);
    private MeteringHarness _harness = null!;

    private CustomModelRegistry Registry => _harness.Get<CustomModelRegistry>();

    public async Task InitializeAsync() => _harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(CustomModelRegistryTests)), Now);

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task RegisterAsync_SixAtOnceOnProFromTwoInstances_ExactlyFiveSucceed()
    {
        await OnPlanAsync("acct-six", "pro");
        // A second registry with its own write gate stands for another host instance: only the count's ETag is shared.
        var other = new CustomModelRegistry(_harness.OtherInstancePartition(), _harness.Get<PlanCatalog>(), NullLogger<CustomModelRegistry>.Instance);

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            Task.Run(() => (i % 2 == 0 ? Registry : other).RegisterAsync("acct-six", $"model-{i}", default))));

        Assert.Equal(5, results.Count(r => r.Status == RegistrationStatus.Registered));
        Assert.Equal(1, results.Count(r => r.Status == RegistrationStatus.OverPlanLimit));
        Assert.Equal(5, await Registry.CountAsync("acct-six", default));
        var stored = 0;
        for (var i = 0; i < 6; i++)
        {
            stored += await Registry.GetAsync("acct-six", $"model-{i}", default) is null ? 0 : 1;
        }

        Assert.Equal(5, stored);
    }

    [Fact]
    public async Task RegisterAsync_Starter_IsRefused()
    {
        await OnPlanAsync("acct-starter", "starter");

        var result = await Registry.RegisterAsync("acct-starter", "acme", default);

        Assert.Equal(RegistrationStatus.OverPlanLimit, result.Status);
        Assert.Equal(0, result.Plan!.CustomModelAllowance);
        Assert.Null(await Registry.GetAsync("acct-starter", "acme", default));
    }

    [Fact]
    public async Task RegisterAsync_Enterprise_HasNoLimit()
    {
        await OnPlanAsync("acct-ent", "enterprise");

        for (var i = 0; i < 7; i++)
        {
            Assert.Equal(RegistrationStatus.Registered, (await Registry.RegisterAsync("acct-ent", $"m{i}", default)).Status);
        }

        Assert.Equal(7, await Registry.CountAsync("acct-ent", default));
    }

    [Fact]
    public async Task RegisterAsync_SameModelTwice_CountsOnce()
    {
        await OnPlanAsync("acct-twice", "pro");

        var first = await Registry.RegisterAsync("acct-twice", "acme", default);
        var second = await Registry.RegisterAsync("acct-twice", "acme", default);

        Assert.Equal(RegistrationStatus.Registered, first.Status);
        Assert.Equal(RegistrationStatus.AlreadyRegistered, second.Status);
        Assert.Equal(first.Model!.RegisteredAt, second.Model!.RegisteredAt);
        Assert.Equal(1, await Registry.CountAsync("acct-twice", default));
    }

    [Fact]
    public async Task RegisterAsync_AfterDowngrade_KeepsExistingAndRefusesNewUntilUnderTheLimit()
    {
        await OnPlanAsync("acct-down", "pro");
        for (var i = 0; i < 5; i++)
        {
            await Registry.RegisterAsync("acct-down", $"m{i}", default);
        }

        await OnPlanAsync("acct-down", "starter");
        var refused = await Registry.RegisterAsync("acct-down", "m5", default);
        await OnPlanAsync("acct-down", "pro");
        var stillFull = await Registry.RegisterAsync("acct-down", "m5", default);
        Assert.True(await Registry.DeleteAsync("acct-down", "m0", default));
        var fits = await Registry.RegisterAsync("acct-down", "m5", default);

        Assert.Equal(RegistrationStatus.OverPlanLimit, refused.Status);
        Assert.Equal(RegistrationStatus.OverPlanLimit, stillFull.Status);
        Assert.Equal(RegistrationStatus.Registered, fits.Status);
        Assert.NotNull(await Registry.GetAsync("acct-down", "m4", default));
        Assert.Equal(5, await Registry.CountAsync("acct-down", default));
    }

    [Fact]
    public async Task DeleteAsync_Unknown_IsFalseAndLeavesTheCount()
    {
        await OnPlanAsync("acct-del", "pro");
        await Registry.RegisterAsync("acct-del", "acme", default);

        Assert.False(await Registry.DeleteAsync("acct-del", "other", default));
        Assert.True(await Registry.DeleteAsync("acct-del", "acme", default));
        Assert.False(await Registry.DeleteAsync("acct-del", "acme", default));
        Assert.Equal(0, await Registry.CountAsync("acct-del", default));
    }

    [Fact]
    public async Task RegisterAsync_UnknownAccount_SaysSo()
    {
        var result = await Registry.RegisterAsync("acct-nobody", "acme", default);

        Assert.Equal(RegistrationStatus.UnknownAccount, result.Status);
        Assert.Equal(0, await Registry.CountAsync("acct-nobody", default));
    }

    private async Task OnPlanAsync(string accountId, string plan) =>
        await _harness.Get<AccountRegistry>().SetPlanAsync(accountId, _harness.Get<PlanCatalog>().Get(plan), default);
}
