using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Telemetry;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Telemetry;

namespace UsageProcessor.Metering.Storage;

/// <summary>Registers the storage account, its tables, the storage chaos (tests and chaos runs only) and the resilience pipelines.</summary>
internal static class StorageServiceCollectionExtensions
{
    public static IServiceCollection AddStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StoragePipelineOptions>();
        services.AddOptions<StorageChaosOptions>()
            .Bind(configuration.GetSection(StorageChaosOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageChaosOptions>, StorageChaosGuard>());
        services.TryAddSingleton(sp => StorageAccount.FromConfiguration(
            configuration, MeteringNames.StorageConnection, sp.GetRequiredService<MeteringMetrics>(), sp.GetRequiredService<IOptions<StorageChaosOptions>>().Value));
        services.TryAddSingleton<MeteringTables>();
        // Polly keeps the first builder registered for a key: tests that register a key before AddMeteringCore win (see StoragePipelines).
        services.AddResiliencePipeline(StoragePipelines.StorageKey, (builder, context) => StoragePipelines.AddTransientRetry(builder, context));
        services.AddResiliencePipeline(StoragePipelines.AfterCommitKey, (builder, context) => StoragePipelines.AddTransientRetry(builder, context));
        services.AddResiliencePipeline(StoragePipelines.ContentionKey, (builder, context) => StoragePipelines.AddContentionRetry(builder, context));
        services.TryAddSingleton<StoragePipelines>();
        services.Configure<TelemetryOptions>(o =>
        {
            // A lost ETag race is expected under load and re-run by design: its Polly events are Debug, not Warning.
            var severity = o.SeverityProvider;
            o.SeverityProvider = args => args.Source.PipelineName == StoragePipelines.ContentionKey
                ? ResilienceEventSeverity.Debug
                : severity?.Invoke(args) ?? args.Event.Severity;
        });
        return services;
    }
}
