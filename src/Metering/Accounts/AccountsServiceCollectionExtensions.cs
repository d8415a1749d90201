using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Accounts;

/// <summary>Registers plan changes and the account trail.</summary>
internal static class AccountsServiceCollectionExtensions
{
    public static IServiceCollection AddAccounts(this IServiceCollection services)
    {
        services.TryAddSingleton<AccountRegistry>();
        services.TryAddSingleton<AccountActivity>();
        return services;
    }
}
