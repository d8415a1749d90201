using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Usage;

/// <summary>Registers the usage, CSV and summary routes.</summary>
internal static class UsageHttpServiceCollectionExtensions
{
    public static IServiceCollection AddUsageApi(this IServiceCollection services)
    {
        services.TryAddSingleton<UsageApi>();
        services.TryAddSingleton<UsageSummaryApi>();
        return services;
    }
}
