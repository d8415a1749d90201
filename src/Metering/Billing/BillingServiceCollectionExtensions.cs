using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Billing;

/// <summary>Registers the account ledger and the coalescer that batches its commits.</summary>
internal static class BillingServiceCollectionExtensions
{
    public static IServiceCollection AddBilling(this IServiceCollection services)
    {
        services.TryAddSingleton<AccountLedger>();
        services.TryAddSingleton<CommitCoalescer>();
        return services;
    }
}
