using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Reads the monthly spend cap. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.GetSpendCap"/>.</summary>
public sealed class GetSpendCap
{
    [Function(nameof(GetSpendCap))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = ApiRoutes.SpendCap)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.GetSpendCap.InvokeAsync(request, cancellationToken, accountId);
}
