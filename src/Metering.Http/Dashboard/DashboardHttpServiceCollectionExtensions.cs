using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Dashboard;

/// <summary>Registers the usage and operator pages and their signed links.</summary>
internal static class DashboardHttpServiceCollectionExtensions
{
    public static IServiceCollection AddDashboardApi(this IServiceCollection services)
    {
        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<DashboardLinks>();
        services.TryAddSingleton<DashboardApi>();
        return services;
    }
}
