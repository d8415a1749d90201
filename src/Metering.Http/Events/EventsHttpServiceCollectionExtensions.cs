using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Events;

/// <summary>Registers the front door for job events.</summary>
internal static class EventsHttpServiceCollectionExtensions
{
    public static IServiceCollection AddEventsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<EventsApi>();
        return services;
    }
}
