using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>Sets or changes the monthly spend cap. The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.PutSpendCap"/>.</summary>
public sealed class PutSpendCap
{
    [Function(nameof(PutSpendCap))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.SpendCap)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.PutSpendCap.InvokeAsync(request, cancellationToken, accountId);
}
