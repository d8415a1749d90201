using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace UsageProcessor.Metering.Admission;

/// <summary>Registers request admission (rate windows, caps, reservations).</summary>
internal static class AdmissionServiceCollectionExtensions
{
    public static IServiceCollection AddAdmission(this IServiceCollection services)
    {
        services.TryAddSingleton<RequestAdmission>();
        services.TryAddSingleton<ReservationRelease>();
        return services;
    }
}
