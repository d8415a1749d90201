using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Credits;

/// <summary>Registers grants, purchases, corrections, spend caps and the grant-expiry watch.</summary>
internal static class CreditsServiceCollectionExtensions
{
    public static IServiceCollection AddCredits(this IServiceCollection services)
    {
        services.TryAddSingleton<CreditPurchases>();
        services.TryAddSingleton<CreditGrants>();
        services.TryAddSingleton<GrantLifecycle>();
        services.TryAddSingleton<AccountCorrections>();
        services.TryAddSingleton<SpendCaps>();
        services.TryAddSingleton<AutoTopUps>();
        return services;
    }
}
