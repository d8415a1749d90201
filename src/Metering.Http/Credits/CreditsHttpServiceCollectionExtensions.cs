using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Credits;

/// <summary>Registers the grant, adjustment, activity and spend-cap routes.</summary>
internal static class CreditsHttpServiceCollectionExtensions
{
    public static IServiceCollection AddCreditsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<CreditsApi>();
        services.TryAddSingleton<SpendCapApi>();
        services.TryAddSingleton<TopUpApi>();
        return services;
    }
}
