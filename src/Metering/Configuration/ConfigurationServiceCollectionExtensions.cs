using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using UsageProcessor.Pricing;

namespace UsageProcessor.Metering.Configuration;

/// <summary>Registers the metering options and what is loaded from them: the price books and the plan catalog.</summary>
internal static class ConfigurationServiceCollectionExtensions
{
    /// <summary>Adds <see cref="MeteringOptions"/> (validated at start-up, price book folder included).</summary>
    public static IServiceCollection AddMeteringOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MeteringOptions>()
            .Bind(configuration.GetSection(MeteringNames.OptionsSection))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        return services;
    }

    /// <summary>Adds the price books and the plan catalog the options point at.</summary>
    public static IServiceCollection AddPriceBooksAndPlans(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MeteringOptions>, PriceBookFolderValidation>());
        services.TryAddSingleton(sp => PriceBookFolder.Load(sp.GetRequiredService<IOptions<MeteringOptions>>().Value.PriceBooksPath));
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<MeteringOptions>>().Value.PlansPath is { Length: > 0 } path
            ? PlanCatalog.LoadFile(path)
            : PlanCatalog.LoadEmbedded());
        return services;
    }
}
