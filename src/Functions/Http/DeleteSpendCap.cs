using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Removes the monthly spend cap. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.DeleteSpendCap"/>.</summary>
public sealed class DeleteSpendCap
{
    [Function(nameof(DeleteSpendCap))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = ApiRoutes.SpendCap)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.DeleteSpendCap.InvokeAsync(request, cancellationToken, accountId);
}
