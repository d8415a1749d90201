using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Api;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads a period's running balance.</summary>
public sealed class GetBalance(BalanceApi api)
{
    [Function(nameof(GetBalance))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.Balance)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        api.GetAsync(request, accountId, cancellationToken);
}
