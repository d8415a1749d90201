using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Telemetry;

/// <summary>Registers the metering metrics and the queue-depth sampler.</summary>
internal static class TelemetryServiceCollectionExtensions
{
    public static IServiceCollection AddMeteringTelemetry(this IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton<QueueDepths>();
        services.TryAddSingleton<MeteringMetrics>();
        services.TryAddSingleton<QueueDepthSampler>();
        return services;
    }
}
