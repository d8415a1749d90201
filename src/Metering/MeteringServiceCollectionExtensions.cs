using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Ledger;
using UsageProcessor.Metering.Operations;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering;

/// <summary>Registers the metering core; both hosts call this and nothing else to get the product's behaviour.</summary>
public static class MeteringServiceCollectionExtensions
{
    /// <summary>Adds the metering core, its options (validated at start-up) and its storage clients.</summary>
    public static IServiceCollection AddMeteringCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<MeteringOptions>()
            .Bind(configuration.GetSection(MeteringNames.OptionsSection))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<StoragePipelineOptions>();

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => StorageAccount.FromConfiguration(configuration, MeteringNames.StorageConnection));
        services.TryAddSingleton<MeteringTables>();
        services.TryAddSingleton(sp => new StoragePipelines(
            sp.GetRequiredService<IOptions<StoragePipelineOptions>>().Value, TimeProvider.System));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MeteringOptions>>().Value.PriceBookPath is { Length: > 0 } path
            ? new PriceBookCatalog([PriceBook.LoadFile(path)])
            : PriceBookCatalog.Embedded());
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MeteringOptions>>().Value.PlansPath is { Length: > 0 } path
            ? PlanCatalog.LoadFile(path)
            : PlanCatalog.LoadEmbedded());

        services.TryAddSingleton<AccountLedger>();
        services.TryAddSingleton<AccountRegistry>();
        services.TryAddSingleton<RejectedJobStore>();
        services.TryAddSingleton<JobIngestion>();
        services.TryAddSingleton<MessageReplayer>();
        return services;
    }
}
