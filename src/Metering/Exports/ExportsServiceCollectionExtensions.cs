using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Polly;
using UsageProcessor.Metering.Storage;

namespace UsageProcessor.Metering.Exports;

/// <summary>Registers the exports' options (validated at start-up), container, pipeline, exporter and verifier.</summary>
internal static class ExportsServiceCollectionExtensions
{
    public static IServiceCollection AddExports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ExportOptions>()
            .Bind(configuration.GetSection(ExportOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        // Polly keeps the first builder registered for a key: a test's chaos strategies registered earlier win.
        services.AddResiliencePipeline(ExportWriter.PipelineKey, (builder, context) => StoragePipelines.AddTransientRetry(builder, context));
        services.TryAddSingleton<ExportContainer>();
        services.TryAddSingleton<ExportSource>();
        services.TryAddSingleton<ExportWriter>();
        services.TryAddSingleton<DailyExporter>();
        services.TryAddSingleton<ExportVerifier>();
        return services;
    }
}
