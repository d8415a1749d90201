using Microsoft.Extensions.DependencyInjection;
using UsageProcessor.Metering.Http.Health;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Tests.Infrastructure;

namespace UsageProcessor.Metering.Tests.Api;

[Collection(AzuriteCollection.Name)]
public sealed class HealthApiTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task CheckAsync_StorageAnswers_Answers200()
    {
        await using var harness = await MeteringHarness.CreateAsync(azurite, azurite.UniqueNames(nameof(HealthApiTests)), Now);

        var response = await ApiCall.InvokeAsync(harness.Services, _ => harness.Get<HealthApi>().CheckAsync(default));

        Assert.Equal(200, response.Status);
        Assert.Equal("healthy", response.Json.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CheckAsync_QueueStorageDown_Answers503NamingIt()
    {
        var names = azurite.UniqueNames(nameof(HealthApiTests));
        var deadQueues = AzuriteFixture.Connection(AzuriteFixture.FreePort(), AzuriteFixture.FreePort(), AzuriteFixture.FreePort());
        await using var harness = await MeteringHarness.CreateAsync(azurite, names, Now);
        var healthy = harness.Get<StorageAccount>();
        // Real tables, and a queue endpoint where nothing listens.
        var broken = new StorageAccount(healthy.Tables, StorageAccount.FromConnectionString(deadQueues).Queues);
        // The same health checks the hosts register, over that account.
        await using var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(broken)
            .AddSingleton(harness.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<Configuration.MeteringOptions>>())
            .AddSingleton<HealthApi>()
            .AddStorageHealthChecks().Services
            .BuildServiceProvider();
        var api = services.GetRequiredService<HealthApi>();

        var response = await ApiCall.InvokeAsync(harness.Services, _ => api.CheckAsync(default));

        Assert.Equal(503, response.Status);
        Assert.Equal("ok", response.Json.GetProperty("checks").GetProperty("tables").GetString());
        Assert.StartsWith("failed", response.Json.GetProperty("checks").GetProperty("queues").GetString(), StringComparison.Ordinal);
    }
}
