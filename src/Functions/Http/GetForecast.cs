using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Balances;

namespace UsageProcessor.Functions.Http;

/// <summary>Projects a period at its pace. The worker needs this attributed method; the contract and handler are <see cref="BalancesRoutes.GetForecast"/>.</summary>
public sealed class GetForecast
{
    [Function(nameof(GetForecast))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Forecast)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        BalancesRoutes.GetForecast.InvokeAsync(request, cancellationToken, accountId);
}
