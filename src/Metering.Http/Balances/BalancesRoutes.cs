using static UsageProcessor.Metering.Http.RouteParts;

namespace UsageProcessor.Metering.Http.Balances;

/// <summary>This feature's part of the route table, composed into <see cref="ApiRoutes.All"/>. A period's running balance and its forecast.</summary>
public static class BalancesRoutes
{
    public static ApiRoute GetBalance { get; } = new(
        "GetBalance", "GET", ApiRoutes.Balance, "Read the running balance of a billing period.", RouteAccess.FunctionKey,
        call => call.Service<BalanceApi>().GetAsync(call.Request, call["accountId"], call.Aborted),
        [new(200, "The period's balance.", typeof(BalanceView), Example: new("GET /api/accounts/{accountId}/balance")), Invalid(), Missing()])
    { Query = [Period] };

    public static ApiRoute GetForecast { get; } = new(
        "GetForecast", "GET", ApiRoutes.Forecast, "Project a period at its current pace: total at period end and when the credits that can run out do.", RouteAccess.FunctionKey,
        call => call.Service<ForecastApi>().GetAsync(call.Request, call["accountId"], call.Aborted),
        [new(200, "The forecast.", typeof(ForecastView), Example: new("GET /api/accounts/{accountId}/forecast")), Invalid(), Missing()])
    { Query = [Period] };

    /// <summary>This feature's routes, in the order the OpenAPI document lists them.</summary>
    public static IReadOnlyList<ApiRoute> All { get; } = [GetBalance, GetForecast];
}
