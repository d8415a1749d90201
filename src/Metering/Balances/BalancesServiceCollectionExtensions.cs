using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UsageProcessor.Metering.Billing;

namespace UsageProcessor.Metering.Balances;

/// <summary>Registers the balance publisher and the background loop that flushes it.</summary>
internal static class BalancesServiceCollectionExtensions
{
    public static IServiceCollection AddBalances(this IServiceCollection services)
    {
        services.TryAddSingleton<BalancePublisher>();
        // Told of every stored batch; one instance serves as observer and as the publishing service's source.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ICommitObserver, BalancePublisher>(sp => sp.GetRequiredService<BalancePublisher>()));
        services.AddHostedService<BalancePublishing>();
        return services;
    }
}
