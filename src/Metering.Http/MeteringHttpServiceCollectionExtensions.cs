using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UsageProcessor.Metering.Http.Accounts;
using UsageProcessor.Metering.Http.Admission;
using UsageProcessor.Metering.Http.Alerts;
using UsageProcessor.Metering.Http.Balances;
using UsageProcessor.Metering.Http.Credits;
using UsageProcessor.Metering.Http.Dashboard;
using UsageProcessor.Metering.Http.Health;
using UsageProcessor.Metering.Http.Models;
using UsageProcessor.Metering.Http.Pricing;
using UsageProcessor.Metering.Http.Statements;
using UsageProcessor.Metering.Http.Usage;

namespace UsageProcessor.Metering.Http;

/// <summary>Registers the HTTP contract; both hosts call this after <c>AddMeteringCore</c>.</summary>
public static class MeteringHttpServiceCollectionExtensions
{
    /// <summary>Adds every route's handler class, the exception mapping and the storage health checks.</summary>
    public static IServiceCollection AddMeteringHttp(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<QuoteApi>();
        services.TryAddSingleton<AccountsApi>();
        services.TryAddSingleton<BalanceApi>();
        services.TryAddSingleton<UsageApi>();
        services.TryAddSingleton<UsageSummaryApi>();
        services.TryAddSingleton<ForecastApi>();
        services.AddOptions<DashboardOptions>()
            .BindConfiguration(DashboardOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<DashboardLinks>();
        services.TryAddSingleton<DashboardApi>();
        services.TryAddSingleton<CreditsApi>();
        services.TryAddSingleton<StatementsApi>();
        services.TryAddSingleton<AdmissionApi>();
        services.TryAddSingleton<HealthApi>();
        services.TryAddSingleton<AlertsApi>();
        services.TryAddSingleton<AlertSubscriptionsApi>();
        services.TryAddSingleton<SpendCapApi>();
        services.TryAddSingleton<CustomModelsApi>();
        services.TryAddSingleton<PriceBooksApi>();
        services.TryAddSingleton<AdmissionModelCheck>();
        services.TryAddSingleton<ExceptionProblems>();
        services.AddStorageHealthChecks();
        return services;
    }
}
