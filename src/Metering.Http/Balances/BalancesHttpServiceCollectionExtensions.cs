using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Balances;

/// <summary>Registers the balance and forecast routes.</summary>
internal static class BalancesHttpServiceCollectionExtensions
{
    public static IServiceCollection AddBalancesApi(this IServiceCollection services)
    {
        services.TryAddSingleton<BalanceApi>();
        services.TryAddSingleton<ForecastApi>();
        return services;
    }
}
