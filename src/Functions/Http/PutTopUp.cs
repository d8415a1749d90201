using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using UsageProcessor.Metering.Http;
using UsageProcessor.Metering.Http.Credits;

namespace UsageProcessor.Functions.Http;

/// <summary>The automatic top-up (put). The worker needs this attributed method; the contract and handler are <see cref="CreditsRoutes.PutTopUp"/>.</summary>
public sealed class PutTopUp
{
    [Function(nameof(PutTopUp))]
    public Task<IResult> Run(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = ApiRoutes.TopUp)] HttpRequest request,
        string accountId,
        CancellationToken cancellationToken) =>
        CreditsRoutes.PutTopUp.InvokeAsync(request, cancellationToken, accountId);
}
