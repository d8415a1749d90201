using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Pricing;

/// <summary>Registers the quote and price-book routes.</summary>
internal static class PricingHttpServiceCollectionExtensions
{
    public static IServiceCollection AddPricingApi(this IServiceCollection services)
    {
        services.TryAddSingleton<QuoteApi>();
        services.TryAddSingleton<PriceBooksApi>();
        return services;
    }
}
