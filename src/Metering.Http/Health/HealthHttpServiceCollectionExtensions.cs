using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Health;

/// <summary>Registers the health route and the storage health checks.</summary>
internal static class HealthHttpServiceCollectionExtensions
{
    public static IServiceCollection AddHealthApi(this IServiceCollection services)
    {
        services.TryAddSingleton<HealthApi>();
        services.AddStorageHealthChecks();
        return services;
    }
}
