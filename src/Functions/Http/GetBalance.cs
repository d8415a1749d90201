using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Balances;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads a period's running balance. The worker needs this attributed method; the contract and handler are <see cref="BalancesRoutes.GetBalance"/>.</summary>
public sealed class GetBalance
{
    [Function(nameof(GetBalance))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Balance)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        BalancesRoutes.GetBalance.InvokeAsync(request, cancellationToken, accountId);
}
