using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Sandbox;

/// <summary>Registers the sandbox clock routes.</summary>
internal static class SandboxHttpServiceCollectionExtensions
{
    public static IServiceCollection AddSandboxApi(this IServiceCollection services)
    {
        services.TryAddSingleton<SandboxApi>();
        return services;
    }
}
