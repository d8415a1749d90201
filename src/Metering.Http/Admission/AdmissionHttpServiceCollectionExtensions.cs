using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Http.Admission;

/// <summary>Registers the admission route and its custom-model check.</summary>
internal static class AdmissionHttpServiceCollectionExtensions
{
    public static IServiceCollection AddAdmissionApi(this IServiceCollection services)
    {
        services.TryAddSingleton<AdmissionModelCheck>();
        services.TryAddSingleton<AdmissionApi>();
        return services;
    }
}
