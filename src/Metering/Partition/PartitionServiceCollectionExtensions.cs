using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Partition;

/// <summary>Registers the per-partition write gate every partition writer goes through.</summary>
internal static class PartitionServiceCollectionExtensions
{
    public static IServiceCollection AddPartition(this IServiceCollection services)
    {
        services.TryAddSingleton<PartitionWriteGate>();
        services.TryAddSingleton<AccountPartition>();
        return services;
    }
}
