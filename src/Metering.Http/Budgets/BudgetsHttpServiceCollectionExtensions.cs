using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Budgets;

/// <summary>Registers the budget routes.</summary>
internal static class BudgetsHttpServiceCollectionExtensions
{
    public static IServiceCollection AddBudgetsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<BudgetsApi>();
        return services;
    }
}
