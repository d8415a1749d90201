using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Tests.Infrastructure;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Tests.Storage;

/// <summary>Injected storage faults, lost answers after applied writes included, against real Azurite.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class StorageChaosPolicyTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 26, 19, 20, 0, TimeSpan.Zero);
    private readonly TestNames _names = azurite.UniqueNames(nameof(StorageChaosPolicyTests));
    private MeteringHarness _harness = null!;

    public async Task InitializeAsync()
    {
        // The harness creates its tables through the faulty clients too: try until that got through once.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                _harness = await MeteringHarness.CreateAsync(azurite, _names, Now, settings: new Dictionary<string, string?>
                {
                    ["Metering:Chaos:FaultRate"] = "0.15",
                    ["Metering:Chaos:LostResponseRate"] = "0.3",
                    ["Metering:Chaos:Seed"] = $"{7 + attempt}",
                });
                return;
            }
            catch (Exception e) when (e is IOException or Azure.RequestFailedException && attempt < 20)
            {
            }
        }
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task ProcessAsync_EveryAnswerLost_WriteIsAppliedYetTheCallerSeesAFault()
    {
        var table = Metering.Storage.StorageAccount.FromConnectionString(azurite.ConnectionString, chaos: new() { LostResponseRate = 1.0 })
            .Tables.GetTableClient(_names.TablePrefix + "lost");
        var plain = Metering.Storage.StorageAccount.FromConnectionString(azurite.ConnectionString).Tables.GetTableClient(_names.TablePrefix + "lost");
        await plain.CreateIfNotExistsAsync();

        await Assert.ThrowsAsync<IOException>(() => table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("p", "r")));

        Assert.True((await plain.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task ProcessAsync_EveryRequestFaulted_NothingIsSentAndTheFaultIsTransient()
    {
        var table = Metering.Storage.StorageAccount.FromConnectionString(azurite.ConnectionString, chaos: new() { FaultRate = 1.0 })
            .Tables.GetTableClient(_names.TablePrefix + "faulted");
        var plain = Metering.Storage.StorageAccount.FromConnectionString(azurite.ConnectionString).Tables.GetTableClient(_names.TablePrefix + "faulted");
        await plain.CreateIfNotExistsAsync();

        var fault = await Assert.ThrowsAsync<Azure.RequestFailedException>(() => table.UpsertEntityAsync(new Azure.Data.Tables.TableEntity("p", "r")));

        Assert.True(Metering.Storage.StoragePipelines.IsTransient(fault));
        Assert.False((await plain.GetEntityIfExistsAsync<Azure.Data.Tables.TableEntity>("p", "r")).HasValue);
    }

    [Fact]
    public async Task HandleAsync_LostAnswersAndTransientFaultsWithRedelivery_BillsEveryJobExactlyOnce()
    {
        var ingestion = _harness.Get<JobIngestion>();
        // 40 jobs of 1 credit (document, detail lo, one page), each delivered twice, redelivered until acknowledged.
        var bodies = Enumerable.Range(0, 40)
            .Select(i => JobMessages.Create($"chaos-{i}", "acct-chaos", Now.AddMinutes(-1).AddSeconds(i), detail: "lo", pages: 1))
            .ToList();
        foreach (var body in bodies.Concat(bodies))
        {
            for (var delivery = 1; ; delivery++)
            {
                try
                {
                    await ingestion.HandleAsync(new JobMessage(body, "m"), default);
                    break;
                }
                catch (Exception) when (delivery < 25)
                {
                    // Left for redelivery, as the queue would.
                }
            }
        }

        var balance = await _harness.Get<AccountReads>().GetPeriodAsync("acct-chaos", BillingPeriod.Of(Now), default);
        Assert.NotNull(balance);
        Assert.Equal(40, balance.Jobs);
        Assert.Equal(40m, balance.UsedCredits);
    }
}
