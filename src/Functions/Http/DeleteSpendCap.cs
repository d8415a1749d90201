using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;

namespace UsageProcessor.Functions.Http;

/// <summary>Removes the monthly spend cap. The worker needs this attributed method; the contract and handler are <see cref="ApiRoutes.DeleteSpendCap"/>.</summary>
public sealed class DeleteSpendCap
{
    [Function(nameof(DeleteSpendCap))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.SpendCap)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        ApiRoutes.DeleteSpendCap.InvokeAsync(request, cancellationToken, accountId);
}
