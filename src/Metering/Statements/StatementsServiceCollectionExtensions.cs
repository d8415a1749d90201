using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Statements;

/// <summary>Registers the statement store, closer and verifier.</summary>
internal static class StatementsServiceCollectionExtensions
{
    public static IServiceCollection AddStatements(this IServiceCollection services)
    {
        services.TryAddSingleton<StatementStore>();
        services.TryAddSingleton<StatementCloser>();
        services.TryAddSingleton<StatementVerifier>();
        return services;
    }
}
