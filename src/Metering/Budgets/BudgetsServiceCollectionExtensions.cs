using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Budgets;

/// <summary>Registers the budgets of projects and API keys.</summary>
internal static class BudgetsServiceCollectionExtensions
{
    public static IServiceCollection AddBudgets(this IServiceCollection services)
    {
        services.TryAddSingleton<ScopeBudgets>();
        return services;
    }
}
