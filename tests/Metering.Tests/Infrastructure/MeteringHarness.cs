using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Tests.Infrastructure;

/// <summary>A metering core wired as the hosts wire it, over real Azurite, with its own tables and queues.</summary>
public sealed class MeteringHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private MeteringHarness(ServiceProvider services, FakeTimeProvider clock)
    {
        _services = services;
        Clock = clock;
    }

    /// <summary>The clock every component reads; tests move it.</summary>
    public FakeTimeProvider Clock { get; }

    public IServiceProvider Services => _services;

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>A partition gateway with its own cache and write gate over the same storage: another host instance, as far as the rows know.</summary>
    public UsageProcessor.Metering.Partition.AccountPartition OtherInstancePartition() => new(
        Get<UsageProcessor.Metering.Storage.MeteringTables>(), Get<UsageProcessor.Metering.Storage.StoragePipelines>(), new UsageProcessor.Metering.Partition.PartitionWriteGate(),
        Clock, Get<Microsoft.Extensions.Options.IOptions<UsageProcessor.Metering.Configuration.MeteringOptions>>(),
        Microsoft.Extensions.Logging.Abstractions.NullLogger<UsageProcessor.Metering.Partition.AccountPartition>.Instance);

    /// <summary>Builds a core over <paramref name="fixture"/> with tables named from <paramref name="names"/>.</summary>
    public static async Task<MeteringHarness> CreateAsync(
        AzuriteFixture fixture,
        TestNames names,
        DateTimeOffset now,
        Action<IServiceCollection>? configure = null,
        IDictionary<string, string?>? settings = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = fixture.ConnectionString,
            ["Metering:LedgerTable"] = names.TablePrefix + "ledger",
            ["Metering:RejectedTable"] = names.TablePrefix + "rejected",
            ["Metering:OutboxTable"] = names.TablePrefix + "outbox",
            ["Metering:JobQueue"] = names.QueuePrefix + "-jobs",
            ["Metering:AlertQueue"] = names.QueuePrefix + "-alerts",
            ["Metering:BalanceQueue"] = names.QueuePrefix + "-balances",
            ["Metering:InvoiceReadyQueue"] = names.QueuePrefix + "-invoices",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var clock = new FakeTimeProvider(now);
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<IConfiguration>(configuration);
        services.AddSingleton<TimeProvider>(clock);
        services.Configure<StoragePipelineOptions>(o => o.RetryDelay = TimeSpan.FromMilliseconds(20));
        configure?.Invoke(services);
        services.AddMeteringCore(configuration);
        services.AddMeteringHttp();
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        await provider.GetRequiredService<MeteringTables>().EnsureCreatedAsync(CancellationToken.None);
        return new MeteringHarness(provider, clock);
    }

    public ValueTask DisposeAsync() => _services.DisposeAsync();
}
