using UsageProcessor.Metering.Api;

namespace UsageProcessor.Host.Http;

/// <summary>Maps every route of <see cref="ApiRoutes.All"/> under <c>/api</c>, each calling the core method its Functions class calls.</summary>
public static class FunctionRoutes
{
    /// <summary>Adds one endpoint per route, named as the function, carrying its <see cref="ApiRoute"/> as metadata.</summary>
    public static IEndpointRouteBuilder MapFunctionRoutes(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (var route in ApiRoutes.All)
        {
            endpoints.MapMethods(PatternOf(route), [route.Method], Handler(route))
                .WithName(route.Name)
                .WithMetadata(route);
        }

        return endpoints;
    }

    /// <summary>The ASP.NET Core route pattern of <paramref name="route"/>.</summary>
    public static string PatternOf(ApiRoute route)
    {
        ArgumentNullException.ThrowIfNull(route);
        return $"/{ApiRoutes.Prefix}/{route.Template}";
    }

    private static RequestDelegate Handler(ApiRoute route)
    {
        Func<HttpContext, Task<IResult>> invoke = route.Name switch
        {
            "QuoteJobs" => c => Api<QuoteApi>(c).QuoteAsync(c.Request, c.RequestAborted),
            "PutAccount" => c => Api<AccountsApi>(c).PutAsync(c.Request, Value(c, "accountId"), c.RequestAborted),
            "GetAccount" => c => Api<AccountsApi>(c).GetAsync(Value(c, "accountId"), c.RequestAborted),
            "AddCredits" => c => Api<AccountsApi>(c).AddCreditsAsync(c.Request, Value(c, "accountId"), c.RequestAborted),
            "GetBalance" => c => Api<BalanceApi>(c).GetAsync(c.Request, Value(c, "accountId"), c.RequestAborted),
            "ListUsage" => c => Api<UsageApi>(c).ListAsync(c.Request, Value(c, "accountId"), c.RequestAborted),
            "AdmitRequest" => c => Api<AdmissionApi>(c).AdmitAsync(c.Request, Value(c, "accountId"), c.RequestAborted),
            "ListAlerts" => c => Api<AlertsApi>(c).ListAsync(c.Request, Value(c, "accountId"), c.RequestAborted),
            "CreateAlertSubscription" => c => Api<AlertSubscriptionsApi>(c).CreateAsync(c.Request, Value(c, "accountId"), c.RequestAborted),
            "ListAlertSubscriptions" => c => Api<AlertSubscriptionsApi>(c).ListAsync(Value(c, "accountId"), c.RequestAborted),
            "DeleteAlertSubscription" => c =>
                Api<AlertSubscriptionsApi>(c).DeleteAsync(Value(c, "accountId"), Value(c, "subscriptionId"), c.RequestAborted),
            "Health" => c => Api<HealthApi>(c).CheckAsync(c.RequestAborted),
            "OpenApiDocument" => _ => Task.FromResult(OpenApiDocument.Get()),
            _ => throw new InvalidOperationException(
                $"Route '{route.Name}' ({route.Method} {route.Template}) has no handler in the self-host; map it in {nameof(FunctionRoutes)}."),
        };
        return async context => await (await invoke(context)).ExecuteAsync(context);
    }

    private static T Api<T>(HttpContext context)
        where T : notnull => context.RequestServices.GetRequiredService<T>();

    private static string Value(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? string.Empty;
}
