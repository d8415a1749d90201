using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using UsageProcessor.Host.Http;
using UsageProcessor.Metering.Telemetry;

namespace UsageProcessor.Host.Hosting;

/// <summary>
/// The self-host's telemetry: the product's meter and spans, ASP.NET Core's request metrics and spans, a Prometheus
/// scrape endpoint behind the function key, and OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
/// </summary>
public static class SelfHostTelemetry
{
    /// <summary>Where Prometheus (or <c>curl</c>) scrapes the metrics.</summary>
    public const string MetricsPath = "/api/metrics";

    /// <summary>The standard OpenTelemetry setting that turns on OTLP export.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Registers OpenTelemetry and the queue-depth sampler.</summary>
    public static IServiceCollection AddSelfHostTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        services.AddHostedService(sp => sp.GetRequiredService<QueueDepthSampler>());
        services.AddOpenTelemetry()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MeteringTelemetry.Name).AddAspNetCoreInstrumentation().AddPrometheusExporter();
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(MeteringTelemetry.Name).AddAspNetCoreInstrumentation();
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        return services;
    }

    /// <summary>Maps the Prometheus text endpoint at <see cref="MetricsPath"/>, keyed like the API.</summary>
    public static IEndpointConventionBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapPrometheusScrapingEndpoint(MetricsPath).WithMetadata(FunctionKeyRequired.Instance);
}
