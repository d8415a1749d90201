using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Models;

/// <summary>Registers the custom-model registry.</summary>
internal static class ModelsServiceCollectionExtensions
{
    public static IServiceCollection AddModels(this IServiceCollection services)
    {
        services.TryAddSingleton<CustomModelRegistry>();
        return services;
    }
}
