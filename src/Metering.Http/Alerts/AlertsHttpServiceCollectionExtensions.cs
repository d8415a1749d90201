using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Alerts;

/// <summary>Registers the alert and alert-subscription routes.</summary>
internal static class AlertsHttpServiceCollectionExtensions
{
    public static IServiceCollection AddAlertsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<AlertsApi>();
        services.TryAddSingleton<AlertSubscriptionsApi>();
        services.TryAddSingleton<WebhookDeliveriesApi>();
        return services;
    }
}
