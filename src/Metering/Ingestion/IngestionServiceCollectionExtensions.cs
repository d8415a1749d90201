using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Ingestion;

/// <summary>Registers job ingestion and the store of rejected messages.</summary>
internal static class IngestionServiceCollectionExtensions
{
    public static IServiceCollection AddIngestion(this IServiceCollection services)
    {
        services.TryAddSingleton<RejectedJobStore>();
        services.TryAddSingleton<JobPricer>();
        services.TryAddSingleton<JobIngestion>();
        services.TryAddSingleton<EventIntake>();
        return services;
    }
}
