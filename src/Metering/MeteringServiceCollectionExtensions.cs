using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using UsageProcessor.Metering.Accounts;
using UsageProcessor.Metering.Admission;
using UsageProcessor.Metering.Balances;
using UsageProcessor.Metering.Billing;
using UsageProcessor.Metering.Budgets;
using UsageProcessor.Metering.Configuration;
using UsageProcessor.Metering.Credits;
using UsageProcessor.Metering.Exports;
using UsageProcessor.Metering.Ingestion;
using UsageProcessor.Metering.Models;
using UsageProcessor.Metering.Operations;
using UsageProcessor.Metering.Partition;
using UsageProcessor.Metering.Retention;
using UsageProcessor.Metering.Sandbox;
using UsageProcessor.Metering.Statements;
using UsageProcessor.Metering.Storage;
using UsageProcessor.Metering.Telemetry;
using UsageProcessor.Metering.Usage;
using UsageProcessor.Metering.Webhooks;

namespace UsageProcessor.Metering;

/// <summary>Registers the metering core; both hosts call this, then Metering.Http's <c>AddMeteringHttp</c> for the routes.</summary>
public static class MeteringServiceCollectionExtensions
{
    /// <summary>Adds the metering core, its options (validated at start-up) and its storage clients.</summary>
    /// <remarks>Each feature folder registers its own services; the infrastructure comes first, and the alerts'
    /// webhook client last, after the storage pipelines' telemetry settings, as it always was.</remarks>
    public static IServiceCollection AddMeteringCore(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddMeteringOptions(configuration);
        services.AddSandbox(configuration);
        services.TryAddSingleton(TimeProvider.System);
        services.AddMeteringTelemetry();
        services.AddStorage(configuration);
        services.AddPriceBooksAndPlans();
        services.AddPartition();
        services.AddUsage();

        services.AddCredits();
        services.AddBalances();
        services.AddBilling();
        services.AddAccounts();
        services.AddIngestion();
        services.AddOperations();
        services.AddAdmission();
        services.AddBudgets();
        services.AddModels();
        services.AddRetention(configuration);
        services.AddStatements();
        services.AddExports(configuration);
        services.AddWebhooks(configuration);
        return services;
    }
}
