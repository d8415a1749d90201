using UsageProcessor.Metering.Http;

namespace UsageProcessor.Host.Http;

/// <summary>Maps every route of a route table under <c>/api</c>, each answered by the table's own handler.</summary>
public static class FunctionRoutes
{
    /// <summary>Adds one endpoint per route of <paramref name="routes"/> (the product's table by default), named as the function, carrying its <see cref="ApiRoute"/> as metadata.</summary>
    public static IEndpointRouteBuilder MapFunctionRoutes(this IEndpointRouteBuilder endpoints, IReadOnlyList<ApiRoute>? routes = null)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var route in routes ?? ApiRoutes.All)
        {
            var names = route.Parameters;
            endpoints.MapMethods(route.Path, [route.Method], async context =>
                {
                    var values = names.ToDictionary(p => p, p => context.Request.RouteValues[p] as string ?? string.Empty, StringComparer.Ordinal);
                    var answer = await route.Handler(new RouteCall(context.Request, values, context.RequestAborted));
                    await answer.ExecuteAsync(context);
                })
                .WithName(route.Name)
                .WithMetadata(route);
        }

        return endpoints;
    }
}
