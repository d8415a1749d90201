using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace UsageProcessor.Metering.Sandbox;

/// <summary>Registers sandbox mode: its options and guard always; its clock, as the product's <see cref="TimeProvider"/>, only when enabled.</summary>
internal static class SandboxServiceCollectionExtensions
{
    /// <summary>Called before anything registers the system clock, so an enabled sandbox's clock is the one every service gets.</summary>
    public static IServiceCollection AddSandbox(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SandboxOptions>()
            .Bind(configuration.GetSection(SandboxOptions.Section))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SandboxOptions>, SandboxGuard>());
        if (configuration.GetSection(SandboxOptions.Section).GetValue<bool>(nameof(SandboxOptions.Enabled)))
        {
            services.TryAddSingleton(_ => new SandboxClock(TimeProvider.System));
            services.TryAddSingleton<TimeProvider>(sp => sp.GetRequiredService<SandboxClock>());
        }

        return services;
    }
}
