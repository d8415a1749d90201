namespace UsageProcessor.Metering.Http.Health;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. The storage health check.</summary>
public static class HealthRoutes
{
    public static ApiRoute HealthCheck { get; } = new(
        "Health", "GET", ApiRoutes.Health, "Report whether table and queue storage answer.", RouteAccess.Anonymous,
        call => call.Service<HealthApi>().CheckAsync(call.Aborted),
        [
            new(200, "Both answer.", typeof(HealthReport), Example: new("GET /api/health")),
            new(503, "A check failed; the body names which (plain JSON, not a problem document).", typeof(HealthReport), Example: new("GET /api/health", 1)),
        ]);

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [HealthCheck];
}
