using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Budgets;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Http.Dashboard;
using UsageProcessor.Metering.Http.Events;
using UsageProcessor.Metering.Http.Health;
using UsageProcessor.Metering.Http.Models;
using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Http.Sandbox;
using UsageProcessor.Metering.Http.Statements;
using UsageProcessor.Metering.Http.Usage;

namespace UsageProcessor.Metering.Http;

/// <summary>Registers the HTTP contract; both hosts call this after <c>AddMeteringCore</c>.</summary>
public static class MeteringHttpServiceCollectionExtensions
{
    /// <summary>Adds every route's handler class, feature by feature, the exception mapping and the storage health checks.</summary>
    public static IServiceCollection AddMeteringHttp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddPricingApi();
        services.AddEventsApi();
        services.AddAccountsApi();
        services.AddBalancesApi();
        services.AddUsageApi();
        services.AddDashboardApi();
        services.AddCreditsApi();
        services.AddBudgetsApi();
        services.AddStatementsApi();
        services.AddAdmissionApi();
        services.AddHealthApi();
        services.AddAlertsApi();
        services.AddModelsApi();
        services.AddSandboxApi();
        services.TryAddSingleton<ExceptionProblems>();
        return services;
    }
}
