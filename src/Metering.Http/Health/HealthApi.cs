using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace UsageProcessor.Metering.Http.Health;

/// <summary>Reports whether table and queue storage answer, from the ASP.NET Core health checks <see cref="StorageHealthChecks"/> registers.</summary>
public sealed class HealthApi(HealthCheckService healthChecks)
{
    /// <summary>Handles <c>GET /api/health</c>: 200 when both answer, 503 naming the one that failed.</summary>
    public async Task<IResult> CheckAsync(CancellationToken cancellationToken)
    {
        // The checks run in parallel; each gives itself StorageHealthChecks.Timeout.
        var report = await healthChecks.CheckHealthAsync(cancellationToken);
        var healthy = report.Status == HealthStatus.Healthy;
        return Results.Json(
            new HealthReport(
                healthy ? "healthy" : "unhealthy",
                new HealthChecksView(Outcome(report, StorageHealthChecks.Tables), Outcome(report, StorageHealthChecks.Queues))),
            ApiJson.Options,
            statusCode: healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }

    private static string Outcome(Microsoft.Extensions.Diagnostics.HealthChecks.HealthReport report, string name) =>
        report.Entries.TryGetValue(name, out var entry)
            ? entry.Status == HealthStatus.Healthy ? "ok" : entry.Description ?? "failed"
            : "not registered";
}
