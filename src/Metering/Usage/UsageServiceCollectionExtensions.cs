using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Usage;

/// <summary>Registers the ledger's read queries that the usage, balance and statement routes answer from.</summary>
internal static class UsageServiceCollectionExtensions
{
    public static IServiceCollection AddUsage(this IServiceCollection services)
    {
        services.TryAddSingleton<AccountReads>();
        return services;
    }
}
