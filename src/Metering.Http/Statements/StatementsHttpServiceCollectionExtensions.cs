using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Statements;

/// <summary>Registers the statement routes.</summary>
internal static class StatementsHttpServiceCollectionExtensions
{
    public static IServiceCollection AddStatementsApi(this IServiceCollection services)
    {
        services.TryAddSingleton<StatementsApi>();
        return services;
    }
}
