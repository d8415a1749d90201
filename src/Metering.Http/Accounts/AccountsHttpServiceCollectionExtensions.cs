using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Accounts;

/// <summary>Registers the account and purchase routes.</summary>
internal static class AccountsHttpServiceCollectionExtensions
{
    public static IServiceCollection AddAccountsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<AccountsApi>();
        return services;
    }
}
