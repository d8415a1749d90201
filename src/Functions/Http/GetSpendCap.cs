using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads the monthly spend cap. The worker needs this attributed method; the contract and handler are <see cref="ApiRoutes.GetSpendCap"/>.</summary>
public sealed class GetSpendCap
{
    [Function(nameof(GetSpendCap))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.SpendCap)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        ApiRoutes.GetSpendCap.InvokeAsync(request, cancellationToken, accountId);
}
