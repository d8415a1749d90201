using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.OpenTelemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using UsageProcessor.Metering.Telemetry;

namespace UsageProcessor.Functions;

/// <summary>
/// Worker telemetry through OpenTelemetry to Application Insights. The Application Insights 2.x worker SDK needs
/// Microsoft.ApplicationInsights 2.x and breaks at start-up with 3.x (azure-functions-dotnet-worker #3318, #3322);
/// the OpenTelemetry exporter has no such coupling and takes an Entra credential directly, which is what an
/// Application Insights resource with local authentication disabled requires.
/// </summary>
public static class AzureMonitorTelemetry
{
    /// <summary>The connection string setting the platform and the Bicep template set.</summary>
    public const string ConnectionStringSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>The setting that names the identity telemetry is sent with: <c>ClientId=...;Authorization=AAD</c>.</summary>
    public const string AuthenticationStringSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The standard OpenTelemetry setting that turns on OTLP export as well.</summary>
    public const string OtlpEndpointSetting = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// Adds OpenTelemetry with the Functions defaults and the product's meter and spans, exporting to Azure Monitor
    /// when a connection string is set and over OTLP when an endpoint is.
    /// </summary>
    public static IServiceCollection AddAzureMonitorTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        var otlp = !string.IsNullOrWhiteSpace(configuration[OtlpEndpointSetting]);
        var telemetry = services.AddOpenTelemetry()
            .UseFunctionsWorkerDefaults()
            .WithMetrics(metrics =>
            {
                metrics.AddMeter(MeteringTelemetry.Name);
                if (otlp)
                {
                    metrics.AddOtlpExporter();
                }
            })
            .WithTracing(tracing =>
            {
                tracing.AddSource(MeteringTelemetry.Name);
                if (otlp)
                {
                    tracing.AddOtlpExporter();
                }
            });
        // Locally (and in tests) there is no Application Insights resource: the exporter would refuse to start.
        if (!string.IsNullOrWhiteSpace(configuration[ConnectionStringSetting]))
        {
            var credential = CredentialFor(configuration[AuthenticationStringSetting]);
            telemetry.UseAzureMonitorExporter(options =>
            {
                options.ConnectionString = configuration[ConnectionStringSetting];
                options.Credential = credential;
            });
        }

        return services;
    }

    /// <summary>
    /// The credential an authentication string asks for: the user-assigned identity it names, or the system-assigned
    /// identity when it names none; no credential when there is no authentication string.
    /// </summary>
    public static TokenCredential? CredentialFor(string? authenticationString)
    {
        if (string.IsNullOrWhiteSpace(authenticationString))
        {
            return null;
        }

        var parts = authenticationString.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(part => part.Split('=', 2, StringSplitOptions.TrimEntries))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var authorization) || !string.Equals(authorization, "AAD", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{AuthenticationStringSetting} must say Authorization=AAD; it says '{authorization}'.");
        }

        return parts.TryGetValue("ClientId", out var clientId) && !string.IsNullOrEmpty(clientId)
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new ManagedIdentityCredential(ManagedIdentityId.SystemAssigned);
    }
}
