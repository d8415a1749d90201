using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Models;

/// <summary>Registers the custom-model routes.</summary>
internal static class ModelsHttpServiceCollectionExtensions
{
    public static IServiceCollection AddModelsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<CustomModelsApi>();
        return services;
    }
}
